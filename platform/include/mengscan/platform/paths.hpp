// Where mengscan keeps its files on the device.
#pragma once

#include <string>

namespace mengscan::platform {

// $MENGSCAN_DATA_DIR, else $XDG_DATA_HOME/mengscan, else $HOME/.local/share/mengscan,
// else /var/lib/mengscan. Not created here.
std::string dataDirectory();

// Creates the folder and its parents; false with a message when it cannot.
bool ensureDirectory(const std::string& path, std::string* errorMessage);

}  // namespace mengscan::platform
