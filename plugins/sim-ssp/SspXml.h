#pragma once
// Small pugixml helpers for the SSP readers. SSP files use the ssd:/ssc:/ssv:/ssb: prefixes by convention
// only, so elements are matched by their local name.
#include <pugixml.hpp>

#include <cstring>
#include <string>

namespace twin::ssp::xml {

inline const char *localName(const pugi::xml_node &node)
{
    const char *name = node.name();
    const char *colon = std::strrchr(name, ':');
    return colon ? colon + 1 : name;
}

inline bool is(const pugi::xml_node &node, const char *local)
{
    return node.type() == pugi::node_element && std::strcmp(localName(node), local) == 0;
}

inline pugi::xml_node child(const pugi::xml_node &node, const char *local)
{
    for (const pugi::xml_node c : node.children())
        if (is(c, local))
            return c;
    return {};
}

template <class F> void each(const pugi::xml_node &node, const char *local, F &&f)
{
    for (const pugi::xml_node c : node.children())
        if (is(c, local))
            f(c);
}

// "<ssd:Component name="x"> (byte 123)", for messages.
inline std::string where(const pugi::xml_node &node)
{
    std::string name = node.attribute("name").as_string();
    return std::string("<") + node.name() + (name.empty() ? "" : " name=\"" + name + "\"") + "> (byte " +
           std::to_string(node.offset_debug()) + ")";
}

} // namespace twin::ssp::xml
