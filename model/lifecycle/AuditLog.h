#pragma once
// The project's audit trail: entries (time, OS user, kind, summary) kept in the project meta under
// "audit:<sequence>", each holding the SHA-256 of its predecessor's hash and its own content, and the newest
// entry's hash and count under "audit:head" — so that editing, removing or reordering an entry is detected.
#include "twin/formats/Sample.h"
#include "twin/util/Result.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace twin::model::lifecycle {

using Meta = std::map<std::string, std::string>;

struct AuditEntry
{
    std::uint64_t sequence = 0; // from 1
    TimeNs time = 0;
    std::string user;    // who (the operating-system user)
    std::string kind;    // "release", "rollback", "edit", "calibration", "acknowledge", "action"…
    std::string summary; // what, in a line
    std::string previous, hash;
};

// The operating-system user running this process ("unknown" when it cannot be told).
std::string osUser();

// Appends an entry to `meta` and returns it.
AuditEntry appendAudit(Meta &meta, const std::string &kind, const std::string &summary, TimeNs time,
                       const std::string &user = osUser());
// The entries in order (unreadable ones are skipped; verifyAudit reports them).
std::vector<AuditEntry> auditEntries(const Meta &meta);
// Ok, or what is wrong: the first entry whose hash, link or sequence does not hold, or a head that does not
// match the newest entry (an entry removed from the end).
Status verifyAudit(const Meta &meta);
// The newest entry's hash, "" when the trail is empty.
std::string auditHead(const Meta &meta);

} // namespace twin::model::lifecycle
