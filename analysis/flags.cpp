#include "flags.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace normdyn::cli {

namespace {

// optional sign, digits with at most one point (at least one digit), optional exponent: the forms that
// double, long double and MPFR all read the same way.
bool is_decimal_number(const std::string& text) {
    std::size_t i = 0, digits = 0;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    for (bool point = false; i < text.size(); ++i) {
        if (std::isdigit(static_cast<unsigned char>(text[i]))) ++digits;
        else if (text[i] == '.' && !point) point = true;
        else break;
    }
    if (digits == 0) return false;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
        const std::size_t exponent_start = i;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
        if (i == exponent_start) return false;
    }
    return i == text.size();
}

}  // namespace

// Checks a real flag; returns its text unchanged (it is converted once T is known).
std::string checked_real(const std::string& flag, const std::string& text, Range range) {
    const std::string allowed = range == Range::positive ? "a finite number > 0" : "a finite number >= 0";
    if (!is_decimal_number(text)) throw BadInput(flag + ": must be " + allowed + ", got '" + text + "'");
    const long double value = std::strtold(text.c_str(), nullptr);
    const bool ok = std::isfinite(value) && (range == Range::positive ? value > 0 : value >= 0);
    if (!ok) throw BadInput(flag + ": must be " + allowed + ", got '" + text + "'");
    return text;
}

std::size_t checked_count(const std::string& flag, long long value, long long minimum) {
    if (value < minimum)
        throw BadInput(flag + ": must be an integer >= " + std::to_string(minimum) + ", got " + std::to_string(value));
    return static_cast<std::size_t>(value);
}

std::vector<std::string> checked_list(const std::string& flag, const std::string& text) {
    std::vector<std::string> items;
    std::stringstream stream(text);
    for (std::string item; std::getline(stream, item, ',');) items.push_back(item);
    if (!text.empty() && text.back() == ',') items.push_back("");
    if (items.empty()) throw BadInput(flag + ": give at least one value, got an empty list");
    for (const auto& item : items)
        if (item.empty()) throw BadInput(flag + ": an empty item in the list '" + text + "'");
    return items;
}

}  // namespace normdyn::cli
