/// The user names the dev server accepts on its sign-in pages: 1–64 printable characters.
enum UserName {
    static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64
            && name.unicodeScalars.allSatisfy { !$0.properties.isWhitespace || $0 == " " }
            && name.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F }
    }
}
