import CRdKafka

/// librdkafka properties for one client. Only string properties: librdkafka validates them itself.
public struct KafkaClientConfig: Sendable {
    public var bootstrapServers: String
    public var clientId: String
    /// Extra librdkafka properties; they win over the defaults each client type sets.
    public var properties: [String: String]

    public init(bootstrapServers: String, clientId: String, properties: [String: String] = [:]) {
        self.bootstrapServers = bootstrapServers
        self.clientId = clientId
        self.properties = properties
    }

    /// Builds an `rd_kafka_conf_t`. The caller owns it until `rd_kafka_new` takes it over.
    func makeConf(defaults: [String: String], events: Int32) throws(KafkaError) -> OpaquePointer {
        let conf = rd_kafka_conf_new()!
        var all = defaults
        all["bootstrap.servers"] = bootstrapServers
        all["client.id"] = clientId
        for (key, value) in properties { all[key] = value }
        var errstr = [CChar](repeating: 0, count: 512)
        for (key, value) in all.sorted(by: { $0.key < $1.key }) {
            let result = rd_kafka_conf_set(conf, key, value, &errstr, errstr.count)
            if result != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                throw .configuration(property: key, reason: String(cString: errstr))
            }
        }
        rd_kafka_conf_set_events(conf, events)
        return conf
    }
}
