#include "FmuArchive.h"

#include <zip.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

namespace twin::fmi {

namespace fs = std::filesystem;

namespace {

std::string fileName(const std::string &path)
{
    return fs::path(path).filename().string();
}

struct ZipCloser
{
    void operator()(zip_t *z) const { zip_discard(z); }
};
using ZipPtr = std::unique_ptr<zip_t, ZipCloser>;

ZipPtr openZip(const std::string &path, std::string &error)
{
    int code = 0;
    zip_t *z = zip_open(path.c_str(), ZIP_RDONLY, &code);
    if (!z) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, code);
        error = fileName(path) + ": cannot open as an FMU (zip archive): " + zip_error_strerror(&ze);
        zip_error_fini(&ze);
    }
    return ZipPtr(z);
}

bool safeEntryName(const std::string &name)
{
    if (name.empty() || name[0] == '/' || name.find('\\') != std::string::npos)
        return false;
    for (const auto &part : fs::path(name))
        if (part == "..")
            return false;
    return true;
}

bool readAll(zip_t *z, zip_uint64_t index, std::uint64_t size, std::string &out, std::string &error,
             const std::string &label)
{
    std::unique_ptr<zip_file_t, int (*)(zip_file_t *)> f(zip_fopen_index(z, index, 0), zip_fclose);
    if (!f) {
        error = label + ": " + zip_strerror(z);
        return false;
    }
    out.resize(size);
    std::uint64_t done = 0;
    while (done < size) {
        const zip_int64_t n = zip_fread(f.get(), out.data() + done, size - done);
        if (n <= 0) {
            error = label + ": read error: " + zip_file_strerror(f.get());
            return false;
        }
        done += std::uint64_t(n);
    }
    return true;
}

} // namespace

FmuArchive::~FmuArchive()
{
    if (!m_dir.empty()) {
        std::error_code ec;
        fs::remove_all(m_dir, ec);
    }
}

bool FmuArchive::readEntry(const std::string &fmuPath, const std::string &entry, std::string &text,
                           std::string &error)
{
    ZipPtr z = openZip(fmuPath, error);
    if (!z)
        return false;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(z.get(), entry.c_str(), 0, &st) != 0) {
        error = fileName(fmuPath) + ": the archive has no " + entry;
        return false;
    }
    if (st.size > 64u * 1024 * 1024) {
        error = fileName(fmuPath) + ": " + entry + " is larger than 64 MiB";
        return false;
    }
    return readAll(z.get(), st.index, st.size, text, error, fileName(fmuPath) + ": " + entry);
}

bool FmuArchive::unpack(const std::string &fmuPath, std::string &error, std::uint64_t maxUnpackedBytes)
{
    const std::string label = fileName(fmuPath);
    ZipPtr z = openZip(fmuPath, error);
    if (!z)
        return false;
    std::string pattern = (fs::temp_directory_path() / "twin-fmu-XXXXXX").string();
    if (!mkdtemp(pattern.data())) {
        error = label + ": cannot create a temporary folder to unpack into";
        return false;
    }
    m_dir = pattern;
    const zip_int64_t count = zip_get_num_entries(z.get(), 0);
    std::uint64_t total = 0;
    for (zip_int64_t i = 0; i < count; ++i) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(z.get(), zip_uint64_t(i), 0, &st) != 0 || !st.name)
            continue;
        const std::string name = st.name;
        if (!safeEntryName(name)) {
            error = label + ": refused archive entry \"" + name + "\" (absolute path or \"..\")";
            return false;
        }
        const fs::path target = fs::path(m_dir) / name;
        std::error_code ec;
        if (name.back() == '/') {
            fs::create_directories(target, ec);
            continue;
        }
        total += st.size;
        if (total > maxUnpackedBytes) {
            error = label + ": unpacked size exceeds " + std::to_string(maxUnpackedBytes >> 20) + " MiB";
            return false;
        }
        fs::create_directories(target.parent_path(), ec);
        std::string data;
        if (!readAll(z.get(), st.index, st.size, data, error, label + ": " + name))
            return false;
        std::ofstream out(target, std::ios::binary);
        out.write(data.data(), std::streamsize(data.size()));
        if (!out) {
            error = label + ": cannot write " + target.string();
            return false;
        }
    }
    return true;
}

} // namespace twin::fmi
