#pragma once
// An .fmu (a zip archive) unpacked with libzip into a private temporary folder (mkdtemp, mode 0700) that is
// removed again when the object is destroyed. Entries with absolute paths or ".." are refused (zip slip),
// and the unpacked size is capped so a zip bomb cannot fill the disk.
#include <cstdint>
#include <string>

namespace twin::fmi {

class FmuArchive
{
public:
    FmuArchive() = default;
    ~FmuArchive();
    FmuArchive(const FmuArchive &) = delete;
    FmuArchive &operator=(const FmuArchive &) = delete;

    // Unpacks `fmuPath`. On failure returns false, sets `error` naming the FMU and leaves nothing behind.
    bool unpack(const std::string &fmuPath, std::string &error,
                std::uint64_t maxUnpackedBytes = 4ull * 1024 * 1024 * 1024);
    // The folder holding modelDescription.xml, binaries/, resources/ (no trailing slash).
    const std::string &directory() const { return m_dir; }

    // Reads a whole file (used for modelDescription.xml) from the archive without unpacking everything.
    static bool readEntry(const std::string &fmuPath, const std::string &entry, std::string &text,
                          std::string &error);

private:
    std::string m_dir; // Owned: removed recursively in the destructor.
};

} // namespace twin::fmi
