/// The public topics (SPEC 3.3). The system creates all of them at start-up: the local broker
/// does not auto-create topics.
public enum Topics {
    public static let leadIntake = "crm.lead.intake"
    public static let leadRejected = "crm.lead.rejected"
    public static let leadEvents = "crm.lead.events"
    public static let contractCommands = "crm.contract.commands"
    public static let contractEvents = "crm.contract.events"
    public static let notificationEvents = "crm.notification.events"

    /// The services that own a dead-letter topic.
    public static let services = ["lead-intake", "assignment", "contract-workflow", "notifications", "reporting"]

    /// Where `service` puts messages it could not process after its retries.
    public static func deadLetter(for service: String) -> String { "crm.dlq.\(service)" }

    /// Every topic of the contract, dead-letter topics included.
    public static var all: [String] {
        [leadIntake, leadRejected, leadEvents, contractCommands, contractEvents, notificationEvents]
            + services.map(deadLetter(for:))
    }
}
