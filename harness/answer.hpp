// Answer: one scripted answer of a webhook receiver (status, delay, body, headers, reset,
// garbage), as plain values: the scenario model holds these without the HTTP library, and the
// ScriptedReceiver (scripted_receiver.hpp) turns them into responses.
//
// Value type; thread-compatible.
#pragma once

#include <chrono>
#include <map>
#include <string>

namespace multihook::harness {

struct Answer {
  enum class Kind {
    kRespond,  // status + body after `delay`
    kReset,    // close the connection without a complete answer, after `delay`
    kGarbage,  // after `delay`, an answer that is not HTTP: its status line has no 3-digit code
  };
  // Name -> value, sent as given (a name may repeat).
  using Headers = std::multimap<std::string, std::string>;

  Kind kind = Kind::kRespond;
  int status = 200;
  std::chrono::milliseconds delay{0};
  std::string body;
  Headers headers = {};  // sent with the answer, e.g. a redirect's Location

  static Answer Status(int status) { return Answer{Kind::kRespond, status, {}, {}}; }
  static Answer Delayed(std::chrono::milliseconds delay, int status = 200) {
    return Answer{Kind::kRespond, status, delay, {}};
  }
  static Answer Reset() { return Answer{Kind::kReset, 0, {}, {}}; }
  static Answer Garbage() { return Answer{Kind::kGarbage, 0, {}, {}}; }
};

}  // namespace multihook::harness
