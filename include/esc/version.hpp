#pragma once

namespace esc {

/// The program's version, from CMake's project version.
const char* version();

}  // namespace esc
