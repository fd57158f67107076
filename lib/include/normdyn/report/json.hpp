// Reals in JSON and CSV (architecture: "Summary JSON"): a JSON number when T is double, a decimal string
// carrying every significant digit otherwise, and never null: non-finite values are spelled "NaN",
// "Infinity", "-Infinity". Header-only (templates and small inline functions), so the library itself does
// not depend on nlohmann-json; a user of this header links nlohmann_json::nlohmann_json.
#pragma once

#include "normdyn/scalar.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace normdyn::report {

/// Keys keep their insertion order, so documents read in the order they were written.
using Json = nlohmann::ordered_json;

/// "NaN", "Infinity" or "-Infinity" for a non-finite x.
template <class T> std::string non_finite_name(const T& x) {
    if (x != x) return "NaN";
    return x > 0 ? "Infinity" : "-Infinity";
}

/// Every significant digit of x as text: the shortest round-trip form for double, to_decimal otherwise;
/// non-finite values by non_finite_name.
template <class T> std::string real_to_text(const T& x) {
    if (!is_finite(x)) return non_finite_name(x);
    if constexpr (std::is_same_v<T, double>) {
        char buffer[32];
        const auto result = std::to_chars(buffer, buffer + sizeof buffer, x);
        return std::string(buffer, result.ptr);
    } else {
        return to_decimal(x);
    }
}

/// A finite double as a JSON number; every other real as the string real_to_text gives.
template <class T> Json real_to_json(const T& x) {
    if constexpr (std::is_same_v<T, double>)
        if (is_finite(x)) return Json(x);
    return Json(real_to_text(x));
}

template <class T> Json reals_to_json(const std::vector<T>& values) {
    Json array = Json::array();
    for (const T& x : values) array.push_back(real_to_json(x));
    return array;
}

/// The inverse of real_to_json: a JSON number, a decimal string, or one of the non-finite names.
/// Throws std::invalid_argument on anything else.
template <class T> T real_from_json(const Json& value) {
    if (value.is_number()) {
        return T(value.get<double>());  // a JSON number is a double: its exact value
    }
    if (!value.is_string()) throw std::invalid_argument("expected a real, got " + value.dump());
    const auto& text = value.get_ref<const std::string&>();
    if (text == "NaN") return std::numeric_limits<T>::quiet_NaN();
    if (text == "Infinity") return std::numeric_limits<T>::infinity();
    if (text == "-Infinity") return -std::numeric_limits<T>::infinity();
    try {
        return from_string<T>(text);
    } catch (const std::exception&) {
        throw std::invalid_argument("expected a real, got '" + text + "'");
    }
}

/// The text of a JSON scalar for a CSV cell: strings without quotes, numbers in nlohmann's shortest
/// round-trip form (so a cell holds exactly the digits of the JSON value).
inline std::string cell_text(const Json& value) {
    return value.is_string() ? value.get<std::string>() : value.dump();
}

/// Whether value holds null anywhere: the output contract forbids it.
inline bool contains_null(const Json& value) {
    if (value.is_null()) return true;
    if (value.is_structured())
        for (const auto& item : value)
            if (contains_null(item)) return true;
    return false;
}

/// Serialises a document; invalid UTF-8 (e.g. from a file name) is replaced rather than thrown on.
inline std::string to_text(const Json& document, int indent = 2) {
    return document.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace normdyn::report
