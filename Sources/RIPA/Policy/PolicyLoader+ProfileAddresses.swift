import Yams

extension PolicyLoader {
    /// Reads the optional `profile_addresses` section of a pack (RIPA.md §5, "Same profile"):
    /// copies to unwrap, mirrors to refuse, identifying query parameters of unknown sites.
    static func parseProfileAddresses(_ doc: YAMLMapping) throws(PolicyError) -> ProfileAddressRules? {
        guard doc.optional("profile_addresses") != nil else { return nil }
        let section = try doc.mapping("profile_addresses", "the archives, redirectors and mirrors of profiles")
        try section.requireOnly(["copies", "mirrors", "identifying_query_parameters", "source"])
        let file = doc.file

        func mappings(_ key: String, _ what: String) throws(PolicyError) -> [YAMLMapping] {
            var out: [YAMLMapping] = []
            for (index, node) in try section.list(key, what).enumerated() {
                out.append(try YAMLMapping(node, file: file, path: section.path(of: key) + "[\(index)]"))
            }
            return out
        }
        func host(_ entry: YAMLMapping) throws(PolicyError) -> String {
            let pattern = try entry.string("host", "a host name such as archive.ph, or label.* for any host whose first label is label")
            guard ProfileAddressRules.isHostPattern(pattern) else {
                throw PolicyError(
                    .badValue, file: file, line: entry.line(of: "host"),
                    message: "`\(entry.path(of: "host"))` is \"\(pattern)\" but must be a lower-case host name (archive.ph) or label.* (nitter.*)")
            }
            return pattern
        }
        func names(_ entry: YAMLMapping, _ key: String, _ what: String) throws(PolicyError) -> [String] {
            var out: [String] = []
            for (index, node) in try entry.list(key, what).enumerated() {
                let name = try YAMLMapping.string(node, file: file, path: entry.path(of: key) + "[\(index)]", what: what)
                guard name == name.lowercased(), !name.contains(where: { $0 == "=" || $0 == "&" || $0 == " " }) else {
                    throw PolicyError(
                        .badValue, file: file, line: PolicyYAML.line(of: node),
                        message: "`\(entry.path(of: key))[\(index)]` is \"\(name)\" but must be a lower-case parameter name without = & or spaces")
                }
                out.append(name)
            }
            guard !out.isEmpty else {
                throw PolicyError(.badValue, file: file, line: entry.line(of: key), message: "`\(entry.path(of: key))` is empty: list \(what)")
            }
            return out
        }

        var copies: [ProfileAddressRules.Copy] = []
        let carriers = ProfileAddressRules.Carrier.allCases.map(\.rawValue)
        for entry in try mappings("copies", "archives, caches, translators and redirectors whose address carries the profile's") {
            try entry.requireOnly(["host", "address_in", "path", "parameters"])
            let pattern = try host(entry)
            let carrierName = try entry.string("address_in", "where the copy carries the address: \(carriers.joined(separator: ", "))")
            guard let carrier = ProfileAddressRules.Carrier(rawValue: carrierName) else {
                throw PolicyError(
                    .badValue, file: file, line: entry.line(of: "address_in"),
                    message: "`\(entry.path(of: "address_in"))` is \"\(carrierName)\" but must be one of \(carriers.joined(separator: ", "))")
            }
            let path = try entry.optionalString("path", "the path that carries the address, e.g. /url")
            if let path, !path.hasPrefix("/") || path != path.lowercased() {
                throw PolicyError(
                    .badValue, file: file, line: entry.line(of: "path"),
                    message: "`\(entry.path(of: "path"))` is \"\(path)\" but must be a lower-case path starting with /, e.g. /url")
            }
            if carrier == .host, pattern.hasSuffix(".*") {
                throw PolicyError(
                    .badValue, file: file, line: entry.line(of: "host"),
                    message: "`\(entry.path(of: "host"))` is \(pattern), but a copy that carries the address in its host needs the domain under which it does so, e.g. translate.goog")
            }
            var parameters: [String]?
            if carrier == .query {
                parameters = try names(entry, "parameters", "the query parameters that carry the address, e.g. [q, url]")
            } else if entry.optional("parameters") != nil || path != nil {
                throw PolicyError(
                    .badValue, file: file, line: entry.line,
                    message: "`\(entry.path)`: path and parameters apply only to address_in: query")
            }
            copies.append(ProfileAddressRules.Copy(host: pattern, addressIn: carrier, path: path, parameters: parameters))
        }

        var mirrors: [ProfileAddressRules.Mirror] = []
        let platforms = Platform.allCases.filter { $0 != .web && $0 != .mastodon }.map(\.rawValue)
        for entry in try mappings("mirrors", "third-party front-ends that show a platform's accounts under their own addresses") {
            try entry.requireOnly(["host", "platform"])
            let pattern = try host(entry)
            let name = try entry.string("platform", "the platform it mirrors: \(platforms.joined(separator: ", "))")
            guard platforms.contains(name), let platform = Platform(rawValue: name) else {
                throw PolicyError(
                    .badValue, file: file, line: entry.line(of: "platform"),
                    message: "`\(entry.path(of: "platform"))` is \"\(name)\" but must be one of \(platforms.joined(separator: ", "))")
            }
            mirrors.append(ProfileAddressRules.Mirror(host: pattern, platform: platform))
        }

        var identifying: [ProfileAddressRules.IdentifyingParameters] = []
        for entry in try mappings("identifying_query_parameters", "pages of unknown sites whose query names the account, e.g. member.php and [u]") {
            try entry.requireOnly(["page", "parameters"])
            let page = try entry.string("page", "the last path segment of the page, lower case, e.g. member.php")
            guard page == page.lowercased(), !page.contains("/"), !page.contains(";") else {
                throw PolicyError(
                    .badValue, file: file, line: entry.line(of: "page"),
                    message: "`\(entry.path(of: "page"))` is \"\(page)\" but must be one lower-case path segment, e.g. member.php")
            }
            identifying.append(ProfileAddressRules.IdentifyingParameters(
                page: page, parameters: try names(entry, "parameters", "the query parameters that name the account, e.g. [u]")))
        }
        return ProfileAddressRules(
            copies: copies, mirrors: mirrors, identifyingQueryParameters: identifying,
            source: try section.string("source", "the Code of Practice paragraphs this rule comes from"))
    }
}
