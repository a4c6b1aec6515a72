#pragma once
// Remembers recent record keys so that a QoS 1 redelivery (DUP, or a resend after a reconnect) reaches the
// sink only once. The rule, applied in this plugin (the host sees no transport duplicates):
//   - with config "messageIdField": a message is a duplicate when (topic, message id) was seen;
//   - otherwise per record: (topic, field, source time, value) seen before means duplicate. The same
//     reading published twice is therefore also passed once; a corrected value for the same time is kept
//     (the ingest pipeline flags it QualityDuplicate).
//   - records without a source time are never dropped: they cannot be told apart from a repeated reading.
// Memory is bounded: the oldest keys are forgotten first (capacity from the config).
#include <cstddef>
#include <deque>
#include <string>
#include <unordered_set>

namespace twin::connmqtt {

class Deduplicator
{
public:
    explicit Deduplicator(std::size_t capacity = 65536) : m_capacity(capacity) {}

    // True the first time `key` is seen (and remembers it), false for a repeat.
    bool firstTime(const std::string &key)
    {
        if (!m_seen.insert(key).second)
            return false;
        m_order.push_back(key);
        while (m_order.size() > m_capacity) {
            m_seen.erase(m_order.front());
            m_order.pop_front();
        }
        return true;
    }
    std::size_t size() const { return m_order.size(); }

private:
    std::size_t m_capacity;
    std::unordered_set<std::string> m_seen;
    std::deque<std::string> m_order;
};

} // namespace twin::connmqtt
