#include "tools/sft/sft.h"

int main(int argc, char** argv, char** envp) { return sft::tool::run(argc, argv, envp); }
