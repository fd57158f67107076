// The command line's one flag parser: a validator per kind of flag, shared by every subcommand, so that a
// flag means the same and fails the same everywhere (one line naming the flag, exit code 2, nothing written).
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace normdyn::cli {

/// An argument or input file the run cannot accept: one line on stderr, exit code 2, no files.
class BadInput : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class Range { non_negative, positive };

/// A real flag as decimal text (sign, digits with at most one point, optional exponent: the forms double,
/// long double and MPFR read alike), finite and in range; returned unchanged, to be read at the run's precision.
std::string checked_real(const std::string& flag, const std::string& text, Range range);
/// An integer flag >= minimum.
std::size_t checked_count(const std::string& flag, long long value, long long minimum);
/// A comma-separated list with at least one item, none empty.
std::vector<std::string> checked_list(const std::string& flag, const std::string& text);

/// Runs parse(); a std::invalid_argument from the library becomes BadInput naming the flag (unless its
/// message names it already).
template <class Parse> auto parsed(const std::string& flag, Parse&& parse) {
    try {
        return parse();
    } catch (const std::invalid_argument& e) {
        const std::string message = e.what();
        throw BadInput(message.find(flag) == std::string::npos ? flag + ": " + message : message);
    }
}

}  // namespace normdyn::cli
