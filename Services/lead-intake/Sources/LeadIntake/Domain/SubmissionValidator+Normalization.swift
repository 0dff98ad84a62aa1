import Foundation

/// Turning type-checked submission fields into the stored, matchable form. Phone and email problems
/// found here are validation failures too (a phone that cannot be a phone rejects the submission).
extension SubmissionValidator {
    func normalize(_ contact: LeadSubmission.Contact, reader: inout SubmissionReader) -> NormalizedLead.Contact {
        var normalized = NormalizedLead.Contact(
            name: TextNormalizer.normalizedOrNil(contact.name),
            title: TextNormalizer.normalizedOrNil(contact.title))
        if let raw = TextNormalizer.normalizedOrNil(contact.phone) {
            switch PhoneNormalizer.normalize(raw) {
            case .success(let phone): normalized.phone = phone
            case .failure(let problem): reader.fail("contact.phone", "not a phone number: it \(problem)", .invalidPhone)
            }
        }
        if let raw = TextNormalizer.normalizedOrNil(contact.email) {
            switch EmailNormalizer.normalize(raw) {
            case .success(let email): normalized.email = email
            case .failure(let problem): reader.fail("contact.email", "not a valid email address: it \(problem)", .invalidEmail)
            }
        }
        if let wecomId = TextNormalizer.normalizedOrNil(contact.wecomId) {
            if wecomId.count > Self.maxIdLength {
                reader.fail("contact.wecomId", "is longer than \(Self.maxIdLength) characters", .outOfRange)
            } else {
                normalized.wecomId = wecomId
            }
        }
        let identityFields = ["contact", "contact.phone", "contact.email", "contact.wecomId"]
        if normalized.phone == nil, normalized.email == nil, normalized.wecomId == nil,
           !identityFields.contains(where: reader.hasError(at:)) {
            reader.fail("contact", "needs at least one of phone, email or wecomId", .noContact)
        }
        return normalized
    }

    func normalize(_ company: LeadSubmission.Company) -> NormalizedLead.Company {
        let name = TextNormalizer.normalizedOrNil(company.name)
        let province = TextNormalizer.normalizedOrNil(company.province)
        return NormalizedLead.Company(
            name: name,
            matchKey: name.flatMap { CompanyKey(companyName: $0)?.value },
            industry: TextNormalizer.normalizedOrNil(company.industry)?.lowercased(),
            size: TextNormalizer.normalizedOrNil(company.size),
            region: regions.resolve(region: company.region, province: province),
            province: province)
    }

    func normalize(_ interest: LeadSubmission.Interest) -> NormalizedLead.Interest {
        NormalizedLead.Interest(
            productLine: TextNormalizer.normalizedOrNil(interest.productLine)?.lowercased(),
            budget: interest.budget,
            currency: TextNormalizer.normalizedOrNil(interest.currency)?.uppercased(),
            // Notes keep their line breaks: only surrounding whitespace goes.
            notes: interest.notes.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 })
    }
}
