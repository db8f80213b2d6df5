#pragma once
/// Time comes from a Clock passed in, so tests and simulations can fix "now"
/// (the binary reads ESC_NOW).

#include <esc/date.hpp>

namespace esc {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

class SystemClock : public Clock {
 public:
  Timestamp now() const override;
};

class FixedClock : public Clock {
 public:
  explicit FixedClock(Timestamp t) : t_(t) {}
  Timestamp now() const override { return t_; }

 private:
  Timestamp t_;
};

}  // namespace esc
