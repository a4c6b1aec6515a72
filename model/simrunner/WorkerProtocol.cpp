#include "twin/model/simrunner/WorkerProtocol.h"

#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace twin::model::sim {

namespace {

bool writeAll(int fd, const char *data, std::size_t size)
{
    struct stat st;
    const bool socket = fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
    while (size > 0) {
        const ssize_t n = socket ? ::send(fd, data, size, MSG_NOSIGNAL) : ::write(fd, data, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data += n;
        size -= std::size_t(n);
    }
    return true;
}

} // namespace

void appendFrame(std::string &out, FrameType type, const void *data, std::size_t size)
{
    const std::uint32_t length = std::uint32_t(size + 1);
    char header[5];
    for (int i = 0; i < 4; ++i)
        header[i] = char((length >> (8 * i)) & 0xFF);
    header[4] = char(type);
    out.append(header, 5);
    out.append(static_cast<const char *>(data), size);
}

bool writeFrames(int fd, const std::string &frames)
{
    return writeAll(fd, frames.data(), frames.size());
}

bool writeFrame(int fd, FrameType type, const void *data, std::size_t size)
{
    std::string frame;
    frame.reserve(size + 5);
    appendFrame(frame, type, data, size);
    return writeFrames(fd, frame);
}

bool FrameReader::next(FrameType &type, std::string &payload, bool &corrupt)
{
    corrupt = false;
    if (m_buffer.size() - m_offset < 5)
        return false;
    const auto *p = reinterpret_cast<const unsigned char *>(m_buffer.data() + m_offset);
    const std::uint32_t length = std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 |
                                 std::uint32_t(p[3]) << 24;
    if (length == 0 || length > (256u << 20)) {
        corrupt = true;
        return false;
    }
    if (m_buffer.size() - m_offset < 4 + std::size_t(length))
        return false;
    type = FrameType(p[4]);
    payload.assign(m_buffer, m_offset + 5, length - 1);
    m_offset += 4 + length;
    if (m_offset > (1u << 20) || m_offset == m_buffer.size()) {
        m_buffer.erase(0, m_offset);
        m_offset = 0;
    }
    return true;
}

std::string phaseText(WorkerPhase phase, const std::string &stepName)
{
    switch (phase) {
    case WorkerPhase::Starting:
        return "worker start-up";
    case WorkerPhase::Loading:
        return "load";
    case WorkerPhase::Initializing:
        return "initialize";
    case WorkerPhase::Stepping:
        return stepName.empty() ? "step" : stepName;
    case WorkerPhase::Reading:
        return "reading outputs";
    case WorkerPhase::Terminating:
        return "terminate";
    case WorkerPhase::Finished:
        return "shutdown";
    }
    return "an unknown phase";
}

} // namespace twin::model::sim
