// `multihook verify`: the glue between the command line, the Verifier and the reporters.
// The `multihook` executable's main calls RunVerifyCommand with the arguments after "verify".
//
// Exit codes: 0 every case, signature check and standard passed, 1 something failed (or the
// receiver could not be reached), 2 unusable input (bad arguments, a report file that cannot be
// written).
// The console report goes to `out`; one-line errors ("multihook verify: invalid_argument at
// --rate: ...") go to `err`.
//
// The caller should ignore SIGPIPE (a receiver that closes mid-request must not kill the
// process); RunVerifyCommand does not touch process-wide signal settings.
//
// Thread-safe for distinct streams (each call builds its own clock, transport and verifier).
#pragma once

#include <ostream>
#include <string_view>
#include <vector>

namespace multihook::harness {

int RunVerifyCommand(const std::vector<std::string_view>& args, std::ostream& out,
                     std::ostream& err);

}  // namespace multihook::harness
