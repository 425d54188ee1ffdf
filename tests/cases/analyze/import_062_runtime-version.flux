import "runtime"

"v" + runtime.version() + params.suffix
