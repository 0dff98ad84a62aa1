/// Personal data in logs: phone numbers and e-mail addresses are masked (SPEC 4).
public enum Masking {
    /// `+8613800138000` -> `+861*******000`: enough to correlate, not enough to call.
    public static func phone(_ phone: String) -> String {
        let characters = Array(phone)
        guard characters.count > 6 else { return String(repeating: "*", count: characters.count) }
        return String(characters.prefix(4)) + String(repeating: "*", count: characters.count - 7) + String(characters.suffix(3))
    }

    /// `zhang.wei@example.com` -> `z***@example.com`.
    public static func email(_ email: String) -> String {
        guard let at = email.firstIndex(of: "@"), at != email.startIndex else { return "***" }
        return String(email[email.startIndex]) + "***" + String(email[at...])
    }
}
