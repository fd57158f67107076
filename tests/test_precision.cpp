// Tests of the scalar types (scalar.hpp) and their JSON form (report/json.hpp): every precision round-trips
// through its decimal string, each type has the precision its name says, the model runs in each, and
// `--digits N` reaches N digits through the command line.
#include <catch2/catch.hpp>

#include "normdyn/model/equiangular.hpp"
#include "normdyn/report/json.hpp"
#include "normdyn/scalar.hpp"
#include "normdyn/solve/solver.hpp"

#include <sys/wait.h>

#include <cstdio>
#include <memory>
#include <set>
#include <string>

namespace {

using namespace normdyn;

template <class T> void check_round_trip() {
    using std::sqrt;
    using std::exp;
    for (const T& x : {T(1) / 3, sqrt(T(2)), -exp(T(-700)), T(123456789) / 7, T(0), T(1e300) * T(7) / T(3)}) {
        const report::Json text = report::real_to_json(x);
        const report::Json parsed = report::Json::parse(text.dump());  // through the serialised document
        INFO(scalar_name<T>() << ": " << text.dump());
        CHECK(report::real_from_json<T>(parsed) == x);
        if constexpr (!std::is_same_v<T, double>) CHECK(text.is_string());
    }
}

// The value of `key` in the final row of a `normdyn equiangular --json` run (stdout), "" on failure.
std::string final_value(const std::string& arguments, const std::string& key, int& exit_code) {
    const std::string command = std::string(NORMDYN_EXE) + " equiangular " + arguments + " --json 2>/dev/null";
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
    std::string out;
    char buffer[4096];
    while (std::size_t got = std::fread(buffer, 1, sizeof buffer, pipe.get())) out.append(buffer, got);
    exit_code = WEXITSTATUS(pclose(pipe.release()));
    if (out.empty()) return "";
    const auto summary = report::Json::parse(out);
    return report::cell_text(summary.at("final").at(key));
}

int exit_code_of(const std::string& arguments) {
    const std::string command = std::string(NORMDYN_EXE) + " equiangular " + arguments + " >/dev/null 2>&1";
    return WEXITSTATUS(std::system(command.c_str()));
}

}  // namespace

TEST_CASE("Every precision round-trips exactly through its JSON decimal string", "[precision][json]") {
    check_round_trip<double>();
    check_round_trip<long double>();
    check_round_trip<float128>();
    check_round_trip<mp50>();
    check_round_trip<mp100>();
    for (unsigned digits : {60u, 1000u}) {
        set_runtime_digits(digits);
        check_round_trip<mp_digits>();
    }
}

TEST_CASE("Each scalar type has the precision its name says, and the names are distinct", "[precision]") {
    CHECK(std::numeric_limits<float128>::epsilon() == ldexp(float128(1), -112));
    CHECK(std::numeric_limits<mp50>::epsilon() < mp50("1e-49"));
    CHECK(std::numeric_limits<mp100>::epsilon() < mp100("1e-99"));
    set_runtime_digits(300);
    CHECK(std::numeric_limits<mp_digits>::epsilon() < mp_digits("1e-299"));
    CHECK(std::numeric_limits<mp_digits>::epsilon() > mp_digits("1e-310"));
    CHECK(mp_digits(1).precision() >= 300);
    std::set<std::string> names;
#define NORMDYN_TEST_NAME(T) names.insert(scalar_name<T>());
    NORMDYN_FOR_EACH_SCALAR(NORMDYN_TEST_NAME)
#undef NORMDYN_TEST_NAME
    CHECK(names == std::set<std::string>{"double", "long-double", "float128", "mp50", "mp100", "mpfr"});
}

TEST_CASE("The equiangular model runs in float128 and mp100 with Bulirsch-Stoer: gamma(2) matches the 40-digit oracle",
          "[precision][equiangular]") {
    const std::string oracle = "0.8163423585687631027359401526153668308035";  // Post-LN, n = 8, beta = 1
    auto gamma_at_2 = [](auto tolerance) {
        using T = decltype(tolerance);
        model::EquiangularSystem<T> system(8, T(1), model::Scheme<T>{});
        solve::SolveOptions<T> options;
        options.stepper = solve::Stepper::bulirsch_stoer;
        options.rtol = options.atol = tolerance;
        const auto solution = solve::solve<T>(system, {T(1), T(1)}, T(0), T(2), options);
        REQUIRE(solution.status == solve::SolveStatus::done);
        return T(1 - solution.final_state[0]);
    };
    using std::abs;
    CHECK(abs(gamma_at_2(float128("1e-32")) - float128(oracle)) < float128("1e-31"));
    CHECK(abs(gamma_at_2(mp100("1e-45")) - mp100(oracle)) < mp100("1e-39"));
}

TEST_CASE("Flag --digits 200 gives at least 190 correct digits of tanh(1) (n = 2, beta = 0, Post-LN, Taylor)",
          "[precision][cli][digits]") {
    int exit_code = -1;
    const std::string gamma = final_value("--n 2 --beta 0 --t-end 1 --samples 2 --stepper taylor --digits 200 "
                                          "--rtol 1e-200 --atol 1e-200",
                                          "gamma", exit_code);
    REQUIRE(exit_code == 0);
    set_runtime_digits(230);
    const mp_digits reference = tanh(mp_digits(1));
    INFO("gamma = " << gamma);
    using std::abs;
    CHECK(abs(mp_digits(gamma) - reference) < mp_digits("1e-190"));
    CHECK(gamma.size() >= 195);  // the JSON string carries every digit
}

TEST_CASE("Flag --digits rejects values out of range and a second precision: exit code 2", "[precision][cli]") {
    CHECK(exit_code_of("--digits 5") == 2);
    CHECK(exit_code_of("--digits 60 --precision mp50") == 2);
    CHECK(exit_code_of("--precision mpfr") == 2);
    CHECK(exit_code_of("--precision mp200") == 2);
    CHECK(exit_code_of("--t-end 0.1 --precision float128") == 0);
    CHECK(exit_code_of("--t-end 0.1 --digits 30") == 0);
}
