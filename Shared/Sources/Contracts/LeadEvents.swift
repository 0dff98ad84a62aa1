/// Event types on `crm.lead.events`.
public enum LeadEventType: String, Sendable, CaseIterable {
    case leadAccepted = "LeadAccepted"
    case leadMerged = "LeadMerged"
    case leadAssigned = "LeadAssigned"
    case leadReassigned = "LeadReassigned"
    case leadContacted = "LeadContacted"
    case leadEscalated = "LeadEscalated"
    case leadReturnedToPool = "LeadReturnedToPool"
    case leadConverted = "LeadConverted"
    case leadLost = "LeadLost"
    /// A first-contact SLA is about to be breached: a reminder to the rep.
    case leadReminderDue = "LeadReminderDue"
}

/// Event types on `crm.contract.events`.
public enum ContractEventType: String, Sendable, CaseIterable {
    case contractSubmitted = "ContractSubmitted"
    case approvalRequested = "ApprovalRequested"
    case approvalGranted = "ApprovalGranted"
    case approvalRejected = "ApprovalRejected"
    case approvalEscalated = "ApprovalEscalated"
    case contractApproved = "ContractApproved"
    case signatureRequested = "SignatureRequested"
    case contractSigned = "ContractSigned"
    case paymentDue = "PaymentDue"
    case paymentOverdue = "PaymentOverdue"
    case paymentReceived = "PaymentReceived"
}
