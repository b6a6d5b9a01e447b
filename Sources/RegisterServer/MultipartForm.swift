import Foundation
import NIOCore

/// A `multipart/form-data` body (RFC 7578): text fields into `FormFields`, file fields into
/// `FormFields.files`. Only what a browser's form sends: one level, no nested multipart.
enum MultipartForm {
    /// Parses the body.
    ///
    /// - Throws: `WebError.badRequest` for a missing boundary or a malformed part.
    static func fields(of body: ByteBuffer, contentType: String) throws -> FormFields {
        guard let range = contentType.range(of: "boundary=") else { throw WebError.badRequest("the form had no multipart boundary") }
        var boundary = String(contentType[range.upperBound...])
        if let end = boundary.firstIndex(of: ";") { boundary = String(boundary[..<end]) }
        boundary = boundary.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        let bytes = Array(body.readableBytesView)
        let delimiter = Array(("--" + boundary).utf8)
        var fields = FormFields()
        var parts: [ArraySlice<UInt8>] = []
        var cursor = 0
        var starts: [Int] = []
        while let found = search(delimiter, in: bytes, from: cursor) {
            starts.append(found)
            cursor = found + delimiter.count
        }
        guard starts.count >= 2 else { throw WebError.badRequest("the multipart form was malformed") }
        for (start, end) in zip(starts, starts.dropFirst()) {
            var from = start + delimiter.count
            if from + 1 < bytes.count, bytes[from] == 13, bytes[from + 1] == 10 { from += 2 }
            var to = end
            if to >= 2, bytes[to - 2] == 13, bytes[to - 1] == 10 { to -= 2 }
            if from <= to { parts.append(bytes[from..<to]) }
        }
        let separator: [UInt8] = [13, 10, 13, 10]
        for part in parts {
            guard let split = search(separator, in: Array(part), from: 0) else { continue }
            let head = String(decoding: part.prefix(split), as: UTF8.self)
            let content = Array(part.dropFirst(split + separator.count))
            var name: String?
            var filename: String?
            for line in head.components(separatedBy: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
                name = parameter("name", in: line)
                filename = parameter("filename", in: line)
            }
            guard let name else { continue }
            if let filename {
                if !filename.isEmpty || !content.isEmpty { fields.files[name] = UploadedFile(filename: filename, bytes: content) }
            } else {
                fields.append(name, String(decoding: content, as: UTF8.self))
            }
        }
        return fields
    }

    private static func parameter(_ key: String, in line: String) -> String? {
        guard let range = line.range(of: "; \(key)=\"") else { return nil }
        let rest = line[range.upperBound...]
        guard let close = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<close])
    }

    private static func search(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == needle[0], haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
