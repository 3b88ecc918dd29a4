/* main.c - the drsim executable: everything else is in libdrsim. */
#include "cli.h"

int main(int argc, char **argv)
{
	return dr_main(argc, argv);
}
