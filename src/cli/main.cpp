// esc: the thin main. Everything else is in the application (cli/app.cpp).

#include "cli/app.hpp"

int main(int argc, char** argv) { return esc::cli::run({argv + 1, argv + argc}); }
