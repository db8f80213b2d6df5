#include <esc/version.hpp>

namespace esc {

const char* version() { return ESC_VERSION; }

}  // namespace esc
