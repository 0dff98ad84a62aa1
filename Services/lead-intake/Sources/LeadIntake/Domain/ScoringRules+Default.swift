extension ScoringRules {
    /// The rules a fresh installation starts with (stored as version 1): fit (industry, budget,
    /// region), intent (source, title) and how much we know (completeness, tags, campaign).
    public static let defaultJSON = """
    {
      "description": "Default lead scoring: fit, intent and data completeness",
      "industries": {
        "pharma_retail": 20, "pharma_distribution": 20, "medical_devices": 15,
        "manufacturing": 15, "distribution": 10, "saas": 10
      },
      "budgetBands": [
        {"min": 0, "max": 100000, "points": 0},
        {"min": 100000, "max": 500000, "points": 10},
        {"min": 500000, "max": 1000000, "points": 20},
        {"min": 1000000, "points": 30}
      ],
      "sources": {
        "referral": 20, "expo": 15, "web_form": 10, "wecom": 10, "dingtalk": 10,
        "phone": 10, "partner": 10, "import": 0
      },
      "titleKeywords": [
        {"keyword": "总经理", "points": 25},
        {"keyword": "ceo", "points": 25},
        {"keyword": "总监", "points": 20},
        {"keyword": "director", "points": 20},
        {"keyword": "采购", "points": 15},
        {"keyword": "procurement", "points": 15},
        {"keyword": "purchasing", "points": 15},
        {"keyword": "经理", "points": 10},
        {"keyword": "manager", "points": 10}
      ],
      "regions": {"east": 5, "south": 5, "north": 5},
      "completeness": {
        "contact.name": 2, "contact.phone": 3, "contact.email": 2, "contact.title": 2,
        "company.name": 3, "company.industry": 2, "interest.budget": 3
      },
      "tags": {"DTP药房": 10, "key_account": 15},
      "attributes": [{"key": "campaign", "points": 5}]
    }
    """

    /// `defaultJSON` parsed. The document is a constant checked by the tests, so a failure here is
    /// a programming error, not bad input.
    public static let `default`: ScoringRules = {
        do {
            return try parse(json: defaultJSON)
        } catch {
            fatalError("ScoringRules.defaultJSON is invalid: \(error)")
        }
    }()
}
