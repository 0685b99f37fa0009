#include "mock_server/core/status.hpp"

#include <catch2/catch.hpp>
#include <memory>
#include <string>

namespace multihook::core {
namespace {

Result<int> Parse(const std::string& text) {
  if (text.empty()) return InvalidArgument("/n", "empty");
  return static_cast<int>(text.size());
}

Status Check(int n) { return n > 2 ? InvalidArgument("/n", "too big") : Status::Ok(); }

Result<int> Twice(const std::string& text) {
  MULTIHOOK_ASSIGN_OR_RETURN(const int n, Parse(text));
  MULTIHOOK_RETURN_IF_ERROR(Check(n));
  return 2 * n;
}

Status Chain(const std::string& a, const std::string& b) {
  MULTIHOOK_ASSIGN_OR_RETURN(int total, Parse(a));
  MULTIHOOK_ASSIGN_OR_RETURN(total, Twice(b));  // assigns an existing variable
  MULTIHOOK_RETURN_IF_ERROR(Parse(a));          // a Result's error returns as a Status
  return total == 4 ? Status::Ok() : InvalidArgument("/total", std::to_string(total));
}

Result<std::unique_ptr<int>> MakeOwned(int n) {
  if (n < 0) return InvalidArgument("/n", "negative");
  return std::make_unique<int>(n);
}

Result<int> UseOwned(int n) {
  MULTIHOOK_ASSIGN_OR_RETURN(auto owned, MakeOwned(n));  // move-only values move out
  return *owned + 1;
}

TEST_CASE("ASSIGN_OR_RETURN and RETURN_IF_ERROR pass values on and return the first error") {
  CHECK(Twice("ab").value() == 4);
  CHECK(Twice("").status().ToString() == "invalid_argument at /n: empty");
  CHECK(Twice("abc").status().ToString() == "invalid_argument at /n: too big");
  CHECK(Chain("x", "ab").ok());
  CHECK(Chain("", "ab").ToString() == "invalid_argument at /n: empty");
  CHECK(Chain("x", "a").ToString() == "invalid_argument at /total: 2");
  CHECK(UseOwned(4).value() == 5);
  CHECK(UseOwned(-1).status().ToString() == "invalid_argument at /n: negative");
}

}  // namespace
}  // namespace multihook::core
