import Foundation

/// Comma-separated values as RFC 4180 defines them: records end with CRLF; a field holding a
/// comma, a double quote, CR or LF is enclosed in double quotes, and each double quote inside
/// it is doubled.
public enum CSV {
    /// One field, quoted only where RFC 4180 §2.6 requires it.
    public static func field(_ text: String) -> String {
        let needsQuotes = text.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One record, terminated by CRLF.
    public static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    /// A header record and the data records.
    public static func document(header: [String], rows: [[String]]) -> String {
        ([header] + rows).map(record).joined()
    }
}

extension CentralRecord {
    /// The central record as CSV: a header with the twelve field titles, then one record per row.
    public static func csv(_ rows: [CentralRecordRow]) -> String {
        CSV.document(header: CentralRecordRow.fieldTitles, rows: rows.map(\.fields))
    }
}
