#include "child_process.hpp"

#include <chrono>
#include <cstring>
#include <stdexcept>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace normdyn::cli::bench {

std::string self_executable() {
    char path[4096];
    const ssize_t length = readlink("/proc/self/exe", path, sizeof(path) - 1);
    if (length <= 0) throw std::runtime_error("cannot read /proc/self/exe");
    return std::string(path, std::size_t(length));
}

ChildResult run_child(const std::vector<std::string>& argv, const std::vector<std::string>& unset) {
    // Everything the child needs is built before fork: the child only calls async-signal-safe functions.
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::vector<std::string> kept;
    for (char** e = environ; *e; ++e) {
        const std::string entry = *e;
        bool drop = false;
        for (const auto& name : unset) drop = drop || entry.rfind(name + "=", 0) == 0;
        if (!drop) kept.push_back(entry);
    }
    std::vector<char*> env;
    for (auto& e : kept) env.push_back(e.data());
    env.push_back(nullptr);

    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        dup2(pipe_fds[1], STDOUT_FILENO);
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        execvpe(args[0], args.data(), env.data());
        _exit(127);
    }
    close(pipe_fds[1]);
    ChildResult result;
    char buffer[4096];
    for (ssize_t got; (got = read(pipe_fds[0], buffer, sizeof(buffer))) != 0;) {
        if (got < 0) break;
        result.output.append(buffer, std::size_t(got));
    }
    close(pipe_fds[0]);
    int status = 0;
    struct rusage usage;
    std::memset(&usage, 0, sizeof(usage));
    if (wait4(pid, &status, 0, &usage) < 0) throw std::runtime_error("wait4 failed");
    result.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.peak_rss_mib = double(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
    return result;
}

}  // namespace normdyn::cli::bench
