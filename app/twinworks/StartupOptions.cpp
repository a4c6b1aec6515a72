#include "StartupOptions.h"

namespace twin::app {

StartupOptions parseStartupOptions(const QStringList &arguments)
{
    StartupOptions options;
    for (int i = 1; i < arguments.size(); ++i) {
        const QString &arg = arguments[i];
        if (arg == "--screenshot") {
            if (i + 1 >= arguments.size()) {
                options.error = "--screenshot needs a file name";
                return options;
            }
            options.screenshotPath = arguments[++i];
        } else if (arg.startsWith("-")) {
            options.error = "unknown option " + arg;
            return options;
        } else {
            options.projectPath = arg;
        }
    }
    return options;
}

} // namespace twin::app
