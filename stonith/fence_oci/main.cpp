#include "stonith/fence_oci/spec.h"

int main(int argc, char** argv) { return sft::fence::run(sft::fence_oci::spec(), argc, argv); }
