// Intentionally empty: CSystem is a header shim; SwiftPM needs one C source for the target.
#include "CSystem.h"
