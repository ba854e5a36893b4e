#include "agents/drbd/drbd.h"
#include "core/ocf/run.h"

int main(int argc, char** argv) { return sft::ocf::run(sft::drbd_agent::spec(), argc, argv); }
