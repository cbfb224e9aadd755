import XML

extension FuzzTarget {
    /// `XMLTreeParser`, our minimal XML parser for status reports and legacy MO. A refusal or rejection is one line;
    /// an accepted tree stays within the limits, and writing it back as XML and parsing that gives the same tree.
    static let xml = FuzzTarget("xml", "XMLTreeParser: limits hold, tree → XML → tree round trip") { input throws(FuzzFailure) in
        let name = "xml"
        let limits = XMLLimits()
        let root: XMLTreeElement
        do throws(XMLError) {
            root = try XMLTreeParser.parse(input, limits: limits)
        } catch {
            try require(isOneLine(error.description), name, "XMLError is not one line: \(shown(error.description))")
            return
        }
        var elements = 0
        try checkLimits(root, depth: 1, elements: &elements, limits, name)

        let written = Array(serialized(root).utf8)
        let reparsed: XMLTreeElement
        do {
            reparsed = try XMLTreeParser.parse(written, limits: limits)
        } catch {
            throw FuzzFailure(target: name, invariant: "the serialized tree does not parse: \(error)")
        }
        try require(reparsed == root, name, "tree → XML → tree changed the tree")
    }

    private static func checkLimits(_ element: XMLTreeElement, depth: Int, elements: inout Int, _ limits: XMLLimits,
                                    _ name: String) throws(FuzzFailure) {
        elements += 1
        try require(depth <= limits.maxDepth, name, "depth \(depth) over the limit \(limits.maxDepth)")
        try require(elements <= limits.maxElements, name, "more than \(limits.maxElements) elements")
        try require(element.attributes.count <= limits.maxAttributes, name, "\(element.attributes.count) attributes")
        try require(!element.name.isEmpty, name, "an element without a name")
        // CR can appear (from `&#13;`, which XML keeps), NUL never (XML 1.0 allows it neither raw nor referenced).
        try require(!element.text.unicodeScalars.contains("\0"), name, "element text holds NUL")
        for child in element.children {
            try checkLimits(child, depth: depth + 1, elements: &elements, limits, name)
        }
    }

    /// The element as XML text: own text first (the tree keeps an element's text as one concatenation), then the
    /// children. CR and, in attributes, tab and LF are written as references so the parser's line-end and
    /// attribute-value normalisation give them back unchanged.
    static func serialized(_ element: XMLTreeElement) -> String {
        var out = "<" + element.name
        for attribute in element.attributes {
            out += " " + attribute.name + "=\"" + escaped(attribute.value, attribute: true) + "\""
        }
        out += ">" + escaped(element.text, attribute: false)
        for child in element.children { out += serialized(child) }
        return out + "</" + element.name + ">"
    }

    private static func escaped(_ text: String, attribute: Bool) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where attribute: out += "&quot;"
            case "\r": out += "&#13;"
            case "\n" where attribute: out += "&#10;"
            case "\t" where attribute: out += "&#9;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
