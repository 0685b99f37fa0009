#include "mock_server/delivery/journal.hpp"

#include <catch2/catch.hpp>
#include <future>
#include <thread>

namespace multihook::delivery {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

AttemptRecord Record(std::string event_id, std::string destination, int status = 200) {
  AttemptRecord r;
  r.event_id = std::move(event_id);
  r.api_key = "key";
  r.destination = std::move(destination);
  r.url = "https://hook.example.com/";
  r.attempt = 1;
  r.status = status;
  r.succeeded = status == 200;
  return r;
}

std::vector<std::uint64_t> Seqs(const JournalPage& page) {
  std::vector<std::uint64_t> out;
  for (const auto& e : page.entries) out.push_back(e.seq);
  return out;
}

TEST_CASE("Journal filters by event and destination, pages by seq", "[delivery][journal]") {
  Journal journal(100);
  CHECK(journal.Append(Record("e1", "main")) == 1);
  CHECK(journal.Append(Record("e1", "backup")) == 2);
  CHECK(journal.Append(Record("e2", "main", 500)) == 3);
  CHECK(journal.Append(Record("e2", "main")) == 4);

  CHECK(Seqs(journal.Query({})) == std::vector<std::uint64_t>{1, 2, 3, 4});
  CHECK(Seqs(journal.Query({.event_id = "e2"})) == std::vector<std::uint64_t>{3, 4});
  CHECK(Seqs(journal.Query({.destination = "main"})) == std::vector<std::uint64_t>{1, 3, 4});
  CHECK(Seqs(journal.Query({.event_id = "e1", .destination = "backup"})) ==
        std::vector<std::uint64_t>{2});
  CHECK(Seqs(journal.Query({.api_key = "other"})).empty());
  CHECK(Seqs(journal.Query({.after_seq = 2, .limit = 1})) == std::vector<std::uint64_t>{3});
  CHECK(journal.Query({}).last_seq == 4);
  CHECK(OutcomeName(journal.Query({.event_id = "e2"}).entries.front()) == "500");
}

TEST_CASE("A full journal drops the oldest records and counts them", "[delivery][journal]") {
  Journal journal(3);
  for (int i = 0; i < 5; ++i) (void)journal.Append(Record("e" + std::to_string(i), "main"));
  const JournalPage page = journal.Query({});
  CHECK(journal.size() == 3);
  CHECK(page.dropped == 2);
  CHECK(Seqs(page) == std::vector<std::uint64_t>{3, 4, 5});
  CHECK(page.entries.front().event_id == "e2");
  CHECK(Seqs(journal.Query({.after_seq = 1})) == std::vector<std::uint64_t>{3, 4, 5});

  journal.Clear();
  CHECK(journal.size() == 0);
  CHECK(journal.dropped() == 0);
  CHECK(journal.Append(Record("e5", "main")) == 6);  // seq keeps increasing
}

TEST_CASE("WaitFor returns at once when enough records exist", "[delivery][journal]") {
  Journal journal(10);
  (void)journal.Append(Record("e1", "main"));
  (void)journal.Append(Record("e1", "backup"));
  const JournalPage page = journal.WaitFor({.event_id = "e1"}, 2, seconds(5));
  CHECK_FALSE(page.timed_out);
  CHECK(page.entries.size() == 2);
}

TEST_CASE("WaitFor is bounded and says it timed out", "[delivery][journal]") {
  Journal journal(10);
  (void)journal.Append(Record("e1", "main"));
  const JournalPage page = journal.WaitFor({.event_id = "e1"}, 2, milliseconds(20));
  CHECK(page.timed_out);
  CHECK(page.entries.size() == 1);  // what there is, for the error message
}

// Shutdown must not wait for a long-poll's timeout: Close ends every wait, present and future.
TEST_CASE("Close ends waiting and later WaitFor calls at once", "[delivery][journal]") {
  Journal journal(10);
  (void)journal.Append(Record("e1", "main"));
  std::promise<JournalPage> waited;
  auto result = waited.get_future();
  std::thread waiter(
      [&] { waited.set_value(journal.WaitFor({.event_id = "e1"}, 5, seconds(60))); });
  // Close may run before or after the waiter starts waiting; either way it must return.
  journal.Close();
  const bool returned = result.wait_for(seconds(10)) == std::future_status::ready;
  if (!returned) {
    for (int i = 0; i < 4; ++i) (void)journal.Append(Record("e1", "x"));  // free the waiter
  }
  waiter.join();
  REQUIRE(returned);
  const JournalPage page = result.get();
  CHECK(page.timed_out);
  CHECK(page.entries.size() == 1);
  CHECK(journal.WaitFor({.event_id = "e1"}, 5, seconds(60)).timed_out);  // at once
}

TEST_CASE("WaitFor wakes when another thread appends the awaited records", "[delivery][journal]") {
  Journal journal(10);  // small: the noise is dropped while we wait
  std::thread writer([&] {
    for (int i = 0; i < 50; ++i) (void)journal.Append(Record("noise", "main"));
    for (int i = 0; i < 3; ++i) (void)journal.Append(Record("e9", "backup"));
  });
  const JournalPage page = journal.WaitFor({.destination = "backup"}, 3, seconds(10));
  writer.join();
  CHECK_FALSE(page.timed_out);
  CHECK(page.entries.size() == 3);
  CHECK(page.dropped == 43);
}

TEST_CASE("Records keep every field; empty and shared strings round-trip", "[delivery][journal]") {
  Journal journal(2);
  AttemptRecord r = Record("e1", "crm", 0);
  r.url = "";
  r.error = ErrorClass::kNoWebhook;
  r.detail = "no main webhook configured";
  r.gate = Gate::kAfterMain;
  r.attempt = 3;
  r.duration = milliseconds(7);
  (void)journal.Append(r);
  (void)journal.Append(Record("e1", "main"));
  const JournalPage page = journal.Query({.event_id = "e1"});
  REQUIRE(page.entries.size() == 2);
  const AttemptRecord& got = page.entries[0];
  CHECK(got.event_id == "e1");
  CHECK(got.api_key == "key");
  CHECK(got.destination == "crm");
  CHECK(got.url.empty());
  CHECK(got.detail == "no main webhook configured");
  CHECK(got.error == ErrorClass::kNoWebhook);
  CHECK(got.gate == Gate::kAfterMain);
  CHECK(got.attempt == 3);
  CHECK(got.duration == milliseconds(7));
  CHECK(page.entries[1].url == "https://hook.example.com/");
  CHECK(Seqs(journal.Query({.api_key = ""})).empty());
  CHECK(Seqs(journal.Query({.destination = ""})).empty());

  // Texts of dropped records are forgotten; the same text appended again is found again.
  (void)journal.Append(Record("e2", "main"));
  (void)journal.Append(Record("e2", "main"));
  CHECK(journal.Query({.event_id = "e1"}).entries.empty());
  CHECK(journal.Query({.destination = "crm"}).entries.empty());
  (void)journal.Append(Record("e1", "crm"));
  CHECK(Seqs(journal.Query({.event_id = "e1", .destination = "crm"})) ==
        std::vector<std::uint64_t>{5});
  journal.Clear();
  (void)journal.Append(Record("e1", "crm"));
  CHECK(Seqs(journal.Query({.destination = "crm"})) == std::vector<std::uint64_t>{6});
}

TEST_CASE("Concurrent waiters with different filters and counts each get theirs",
          "[delivery][journal]") {
  // Append wakes waiters only once the earliest of their thresholds is reached; a waiter woken
  // short of its own count must ask again, whatever the interleaving.
  Journal journal(100);
  JournalPage two_a, five_b, one_c;
  std::thread wait_a([&] { two_a = journal.WaitFor({.event_id = "a"}, 2, seconds(10)); });
  std::thread wait_b([&] { five_b = journal.WaitFor({.event_id = "b"}, 5, seconds(10)); });
  std::thread wait_c([&] { one_c = journal.WaitFor({.event_id = "c"}, 1, seconds(10)); });
  for (const char* id : {"a", "b", "b", "b", "a", "b", "b", "c"}) {
    (void)journal.Append(Record(id, "main"));
  }
  wait_a.join();
  wait_b.join();
  wait_c.join();
  CHECK_FALSE(two_a.timed_out);
  CHECK(Seqs(two_a) == std::vector<std::uint64_t>{1, 5});
  CHECK_FALSE(five_b.timed_out);
  CHECK(Seqs(five_b) == std::vector<std::uint64_t>{2, 3, 4, 6, 7});
  CHECK_FALSE(one_c.timed_out);
  CHECK(Seqs(one_c) == std::vector<std::uint64_t>{8});
}

TEST_CASE("WaitFor sees records of an event id not in the journal when it started",
          "[delivery][journal]") {
  Journal journal(10);
  (void)journal.Append(Record("e1", "main"));
  // The writer usually appends while WaitFor waits (thread start-up alone takes longer than
  // entering the wait); if it wins the race, WaitFor must find the records all the same.
  std::thread writer([&] {
    (void)journal.Append(Record("late", "main"));
    (void)journal.Append(Record("late", "crm"));
  });
  const JournalPage page = journal.WaitFor({.event_id = "late"}, 2, seconds(10));
  writer.join();
  CHECK_FALSE(page.timed_out);
  CHECK(Seqs(page) == std::vector<std::uint64_t>{2, 3});
}

}  // namespace
}  // namespace multihook::delivery
