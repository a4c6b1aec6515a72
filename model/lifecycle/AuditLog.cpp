#include "twin/model/lifecycle/AuditLog.h"

#include "twin/model/lifecycle/ModelPart.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <pwd.h>
#include <set>
#include <unistd.h>

namespace twin::model::lifecycle {

using nlohmann::json;

namespace {
constexpr const char *kPrefix = "audit:";
constexpr const char *kHead = "audit:head";

std::string keyOf(std::uint64_t sequence)
{
    char key[32];
    std::snprintf(key, sizeof key, "audit:%010llu", static_cast<unsigned long long>(sequence));
    return key;
}

std::string hashOf(const AuditEntry &e)
{
    const json content{{"sequence", e.sequence}, {"time", e.time},       {"user", e.user},
                       {"kind", e.kind},         {"summary", e.summary}, {"previous", e.previous}};
    return sha256Hex(content.dump());
}

bool parse(const std::string &text, AuditEntry &e)
{
    const json j = json::parse(text, nullptr, false);
    if (!j.is_object())
        return false;
    try {
        e.sequence = j.at("sequence").get<std::uint64_t>();
        e.time = j.at("time").get<TimeNs>();
        e.user = j.at("user").get<std::string>();
        e.kind = j.at("kind").get<std::string>();
        e.summary = j.at("summary").get<std::string>();
        e.previous = j.at("previous").get<std::string>();
        e.hash = j.at("hash").get<std::string>();
    } catch (const std::exception &) {
        return false;
    }
    return true;
}
} // namespace

std::string osUser()
{
    if (const passwd *pw = ::getpwuid(::geteuid()); pw && pw->pw_name)
        return pw->pw_name;
    if (const char *user = std::getenv("USER"); user && *user)
        return user;
    return "unknown";
}

std::vector<AuditEntry> auditEntries(const Meta &meta)
{
    std::vector<AuditEntry> out;
    for (auto it = meta.lower_bound(kPrefix); it != meta.end() && it->first.rfind(kPrefix, 0) == 0; ++it) {
        AuditEntry e;
        if (it->first != kHead && parse(it->second, e))
            out.push_back(std::move(e));
    }
    return out;
}

std::string auditHead(const Meta &meta)
{
    const auto it = meta.find(kHead);
    if (it == meta.end())
        return {};
    const json j = json::parse(it->second, nullptr, false);
    return j.is_object() ? j.value("hash", std::string()) : std::string();
}

AuditEntry appendAudit(Meta &meta, const std::string &kind, const std::string &summary, TimeNs time,
                       const std::string &user)
{
    // Goes on from the head (and past the highest entry key), never over an entry that is there: a damaged
    // or edited trail stays visibly damaged for verifyAudit.
    std::uint64_t last = 0;
    std::string previous;
    if (const auto head = meta.find(kHead); head != meta.end()) {
        const json j = json::parse(head->second, nullptr, false);
        if (j.is_object()) {
            last = j.value("count", std::uint64_t(0));
            previous = j.value("hash", std::string());
        }
    }
    for (auto it = meta.lower_bound(kPrefix); it != meta.end() && it->first.rfind(kPrefix, 0) == 0; ++it)
        if (it->first != kHead)
            last = std::max<std::uint64_t>(
                last, std::strtoull(it->first.c_str() + std::strlen(kPrefix), nullptr, 10));
    AuditEntry e;
    e.sequence = last + 1;
    e.time = time;
    e.user = user;
    e.kind = kind;
    e.summary = summary;
    e.previous = previous;
    e.hash = hashOf(e);
    meta[keyOf(e.sequence)] =
        json{{"sequence", e.sequence}, {"time", e.time},         {"user", e.user}, {"kind", e.kind},
             {"summary", e.summary},   {"previous", e.previous}, {"hash", e.hash}}
            .dump();
    meta[kHead] = json{{"count", e.sequence}, {"hash", e.hash}}.dump();
    return e;
}

Status verifyAudit(const Meta &meta)
{
    std::uint64_t count = 0;
    std::string previous;
    for (auto it = meta.lower_bound(kPrefix); it != meta.end() && it->first.rfind(kPrefix, 0) == 0; ++it) {
        if (it->first == kHead)
            continue;
        AuditEntry e;
        if (!parse(it->second, e))
            return Error{"audit entry " + it->first + " is unreadable"};
        if (e.sequence != count + 1 || it->first != keyOf(e.sequence))
            return Error{"audit entry " + it->first + ": expected entry " + std::to_string(count + 1) +
                         " (an entry was removed or renumbered)"};
        if (e.previous != previous)
            return Error{"audit entry " + std::to_string(e.sequence) +
                         ": does not follow the entry before it (an entry was changed or removed)"};
        if (hashOf(e) != e.hash)
            return Error{"audit entry " + std::to_string(e.sequence) + " was changed after it was written"};
        previous = e.hash;
        ++count;
    }
    // Every release names the trail's newest entry when it was made: removing the trail (or its start) as a
    // whole is found there.
    std::set<std::string> hashes;
    for (const AuditEntry &e : auditEntries(meta))
        hashes.insert(e.hash);
    for (auto it = meta.lower_bound("release:"); it != meta.end() && it->first.rfind("release:", 0) == 0;
         ++it) {
        const json r = json::parse(it->second, nullptr, false);
        const std::string head = r.is_object() ? r.value("auditHead", std::string()) : std::string();
        if (!head.empty() && !hashes.count(head))
            return Error{it->first + " was recorded at an audit entry the trail no longer has"};
    }
    const auto head = meta.find(kHead);
    if (count == 0 && head == meta.end())
        return okStatus();
    const json j = head == meta.end() ? json() : json::parse(head->second, nullptr, false);
    if (!j.is_object() || j.value("count", std::uint64_t(0)) != count ||
        j.value("hash", std::string()) != previous)
        return Error{"the audit trail ends at entry " + std::to_string(count) +
                     " but its head says otherwise (entries were removed from its end)"};
    return okStatus();
}

} // namespace twin::model::lifecycle
