import Foundation
import LeadIntake

/// Shared test inputs: the SPEC 3.1 example and a fixed clock.
enum Fixtures {
    /// 2026-11-23T02:00:00Z, half an hour after the example's receivedAt.
    static let now = Date(timeIntervalSince1970: 1_795_399_200)

    static let specExample = """
    {
      "submissionId": "web-20261123-000123",
      "source": "web_form",
      "receivedAt": "2026-11-23T09:30:00+08:00",
      "contact": {"name": "张伟", "phone": "138 0013 8000", "email": "Zhang.Wei@Example.com",
                  "wecomId": "wm_abc123", "title": "采购经理"},
      "company": {"name": "华东医药连锁有限公司", "industry": "pharma_retail", "size": "200-500",
                  "region": "east", "province": "浙江"},
      "interest": {"productLine": "medical_devices", "budget": 850000, "currency": "CNY",
                   "notes": "需要GSP资质文件"},
      "attributes": {"campaign": "2026-spring-expo", "tags": ["DTP药房"]}
    }
    """

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    static func validate(_ text: String, now: Date = now) -> Result<ValidatedSubmission, LeadRejection> {
        SubmissionValidator().validate(bytes: bytes(text), now: now)
    }

    /// The spec example's normalized lead (fails the test if the example is rejected).
    static func specLead() throws -> NormalizedLead {
        try validate(specExample).get().lead
    }
}
