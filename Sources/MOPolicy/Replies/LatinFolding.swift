/// Letter case and diacritics folded away for matching, without Foundation: what
/// `folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)` gives for Latin text, so the shipped
/// binaries need not link Foundation's internationalization data (docs/decisions.md, "Folding without Foundation").
///
/// Table-driven and exact for Latin-1 Supplement, Latin Extended-A, Latin Extended-B and Latin Extended Additional
/// (U+0080–U+024F, U+1E00–U+1EFF; the tests compare every scalar there with Foundation): a precomposed letter with
/// diacritics becomes its base letter ("É" → "e", "ő" → "o"), "ß" and "ẞ" become "ss", "ſ" becomes "s", "µ" the Greek
/// "μ". Elsewhere a scalar is lowercased (Unicode's lowercase mapping, not full case folding) and a combining
/// diacritical mark (U+0300–U+036F) is dropped, so a decomposed "e\u{301}" folds like "é"; accented letters of
/// other scripts (Greek "ά", Cyrillic "й") keep their accents, where Foundation would strip them.
///
/// A pure function; any thread.
enum LatinFolding {
    /// `text` with case and diacritics folded.
    static func fold(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if let folded = table[scalar] {
                scalars.append(contentsOf: folded.unicodeScalars)
            } else if !combiningDiacriticalMarks.contains(scalar.value) {
                scalars.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return String(scalars)
    }

    /// The block of combining marks that canonical decomposition splits off Latin letters.
    static let combiningDiacriticalMarks: ClosedRange<UInt32> = 0x0300...0x036F

    /// The ranges where `fold` equals Foundation's folding scalar for scalar (the tests check every one).
    static let exactRanges: [ClosedRange<UInt32>] = [0x0080...0x024F, 0x1E00...0x1EFF]

    /// Each fold and the letters that fold to it; only letters whose fold is not simply their lowercase mapping.
    private static let folds: [(fold: String, letters: String)] = [
        ("a", "ÀÁÂÃÄÅàáâãäåĀāĂăĄąǍǎǞǟǠǡǺǻȀȁȂȃȦȧḀḁẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặ"),
        ("a\u{2BE}", "ẚ"),
        ("b", "ḂḃḄḅḆḇ"),
        ("c", "ÇçĆćĈĉĊċČčḈḉ"),
        ("d", "ĎďḊḋḌḍḎḏḐḑḒḓ"),
        ("e", "ÈÉÊËèéêëĒēĔĕĖėĘęĚěȄȅȆȇȨȩḔḕḖḗḘḙḚḛḜḝẸẹẺẻẼẽẾếỀềỂểỄễỆệ"),
        ("f", "Ḟḟ"),
        ("g", "ĜĝĞğĠġĢģǦǧǴǵḠḡ"),
        ("h", "ĤĥȞȟḢḣḤḥḦḧḨḩḪḫẖ"),
        ("i", "ÌÍÎÏìíîïĨĩĪīĬĭĮįİǏǐȈȉȊȋḬḭḮḯỈỉỊị"),
        ("j", "Ĵĵǰ"),
        ("k", "ĶķǨǩḰḱḲḳḴḵ"),
        ("l", "ĹĺĻļĽľḶḷḸḹḺḻḼḽ"),
        ("m", "ḾḿṀṁṂṃ"),
        ("n", "ÑñŃńŅņŇňǸǹṄṅṆṇṈṉṊṋ"),
        ("o", "ÒÓÔÕÖòóôõöŌōŎŏŐőƠơǑǒǪǫǬǭȌȍȎȏȪȫȬȭȮȯȰȱṌṍṎṏṐṑṒṓỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợ"),
        ("p", "ṔṕṖṗ"),
        ("r", "ŔŕŖŗŘřȐȑȒȓṘṙṚṛṜṝṞṟ"),
        ("s", "ŚśŜŝŞşŠšſȘșṠṡṢṣṤṥṦṧṨṩẛ"),
        ("ss", "ßẞ"),
        ("t", "ŢţŤťȚțṪṫṬṭṮṯṰṱẗ"),
        ("u", "ÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲųƯưǓǔǕǖǗǘǙǚǛǜȔȕȖȗṲṳṴṵṶṷṸṹṺṻỤụỦủỨứỪừỬửỮữỰự"),
        ("v", "ṼṽṾṿ"),
        ("w", "ŴŵẀẁẂẃẄẅẆẇẈẉẘ"),
        ("x", "ẊẋẌẍ"),
        ("y", "ÝýÿŶŷŸȲȳẎẏẙỲỳỴỵỶỷỸỹ"),
        ("z", "ŹźŻżŽžẐẑẒẓẔẕ"),
        ("æ", "ǢǣǼǽ"),
        ("ø", "Ǿǿ"),
        ("ʒ", "Ǯǯ"),
        ("\u{2BC}n", "ŉ"),
        ("\u{3BC}", "µ"),
    ]

    private static let table: [Unicode.Scalar: String] = {
        var table: [Unicode.Scalar: String] = [:]
        for (fold, letters) in folds {
            for letter in letters.unicodeScalars {
                precondition(table.updateValue(fold, forKey: letter) == nil, "\(letter) is listed twice")
            }
        }
        return table
    }()
}
