#include "agents/filesystem/filesystem.h"
#include "core/ocf/run.h"

int main(int argc, char** argv) { return sft::ocf::run(sft::filesystem::spec(), argc, argv); }
