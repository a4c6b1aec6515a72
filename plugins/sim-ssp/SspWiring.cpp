#include "SspWiring.h"

#include <map>
#include <set>
#include <tuple>

namespace twin::ssp::wiring {

namespace {

using Key = std::tuple<int, std::string, std::string>;

Key key(const End &e)
{
    return {int(e.owner), e.element, e.connector};
}

bool terminal(const End &e)
{
    return e.owner == Owner::Component || (e.owner == Owner::System && e.element.empty());
}

// +1 when data leaves through this end, -1 when it enters, 0 when its kind does not say.
int role(const End &e)
{
    const bool inside = e.owner == Owner::System && !e.outside;
    const std::string &k = e.kind;
    const bool entering = k == "input" || k == "parameter" || k == "structuralParameter";
    const bool leaving = k == "output" || k == "local" || k == "calculatedParameter" || k == "constant";
    if (!entering && !leaving)
        return 0;
    return (leaving != inside) ? +1 : -1;
}

} // namespace

bool resolve(const std::vector<Edge> &given, std::vector<SspConnection> &out,
             std::vector<std::string> &warnings, std::string &error)
{
    // Every edge oriented along its data flow.
    std::vector<Edge> edges = given;
    for (Edge &e : edges) {
        const int a = role(e.start), b = role(e.end);
        if (a != 0 && a == b) {
            error = "connection " + e.start.label + " -> " + e.end.label + " joins two " +
                    (a > 0 ? "sources (outputs)" : "sinks (inputs)") + ": no value can flow along it";
            return false;
        }
        if ((a < 0 || b > 0) && !(a > 0 || b < 0))
            std::swap(e.start, e.end);
    }
    std::map<Key, std::vector<std::size_t>> into;
    for (std::size_t i = 0; i < edges.size(); ++i)
        if (!terminal(edges[i].end))
            into[key(edges[i].end)].push_back(i);
    std::set<Key> reported;
    for (std::size_t i = 0; i < edges.size(); ++i) {
        if (!terminal(edges[i].end))
            continue;
        std::vector<std::size_t> path{i}; // against the flow: the last edge first
        std::set<Key> seen;
        bool open = false;
        for (End at = edges[i].start; !terminal(at); at = edges[path.back()].start) {
            const Key k = key(at);
            if (!seen.insert(k).second) {
                error = "connections run in a circle through " + at.label;
                return false;
            }
            const auto found = into.find(k);
            if (found == into.end()) {
                if (reported.insert(k).second)
                    warnings.push_back("nothing flows into " + at.label + "; what it feeds (" +
                                       edges[i].end.label + ") is not connected");
                open = true;
                break;
            }
            if (found->second.size() > 1) {
                error = at.label + " receives from " + std::to_string(found->second.size()) +
                        " connections (" + edges[found->second[0]].start.label + ", " +
                        edges[found->second[1]].start.label + "); a value may come from one only";
                return false;
            }
            path.push_back(found->second.front());
        }
        if (open)
            continue;
        const End &from = edges[path.back()].start, &to = edges[i].end;
        SspConnection c;
        c.startElement = from.owner == Owner::Component ? from.element : "";
        c.startConnector = from.connector;
        c.endElement = to.owner == Owner::Component ? to.element : "";
        c.endConnector = to.connector;
        for (auto it = path.rbegin(); it != path.rend(); ++it) {
            const Edge &e = edges[*it];
            c.hops.push_back({e.linear, e.suppressUnitConversion});
            if (std::next(it) != path.rend()) { // the junction between this edge and the next
                const Edge &n = edges[*std::next(it)];
                c.viaUnits.push_back(!e.end.unit.empty() ? e.end.unit : n.start.unit);
                c.via.push_back(e.end.label);
            }
        }
        out.push_back(std::move(c));
    }
    return true;
}

} // namespace twin::ssp::wiring
