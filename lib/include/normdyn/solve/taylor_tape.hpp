// Automatic Taylor coefficients: a tape of elementary operations on truncated power series
//   a(t0 + h) = Σ_k a_k h^k   (normalised coefficients a_k = a^{(k)}(t0) / k!).
// The right-hand side of an ODE x' = f(x, t) is recorded once as a tape; then pass k computes coefficient
// k of every node from coefficients ≤ k of its operands (the standard recurrences below), and the
// integrator sets x_{k+1} = f_k / (k + 1). Every recurrence costs O(k) per coefficient, so the order-p
// expansion costs O(p²) per node (never O(p³)). References: Moore (1966); Jorba & Zou, Exp. Math. 14 (2005).
//
//   product  c = a b:     c_k = Σ_{i=0..k} a_i b_{k−i}
//   quotient c = a / b:   c_k = (a_k − Σ_{i=1..k} b_i c_{k−i}) / b_0
//   exp      c = e^a:     c_k = (1/k) Σ_{i=1..k} i a_i c_{k−i}
//   sqrt     c = √a:      c_k = (a_k − Σ_{i=1..k−1} c_i c_{k−i}) / (2 c_0)
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <span>
#include <vector>

namespace normdyn::solve::taylor {

using NodeId = std::uint32_t;

template <class T> class Tape {
public:
    enum class Op : std::uint8_t {
        variable,   ///< state component `a`; coefficients are set by the integrator
        time,       ///< t0 + h
        constant,   ///< `value`
        step_constant,  ///< max over `list` of coefficient 0, held constant over the step (softmax shift)
        add, sub, mul, div,
        scale,      ///< value · a
        offset,     ///< a + value
        exp, sqrt,
        dot,        ///< Σ_i list[2i] · list[2i+1]
        linear,     ///< Σ_i weights[i] · list[i]
    };

    /// Recording. Nodes refer only to earlier nodes, so the tape order is an evaluation order.
    NodeId variable(std::size_t index);
    NodeId time();
    NodeId constant(const T& value);
    NodeId step_max(std::vector<NodeId> nodes);
    NodeId add(NodeId a, NodeId b) { return push(Op::add, a, b); }
    NodeId sub(NodeId a, NodeId b) { return push(Op::sub, a, b); }
    NodeId mul(NodeId a, NodeId b) { return push(Op::mul, a, b); }
    NodeId div(NodeId a, NodeId b) { return push(Op::div, a, b); }
    NodeId scale(const T& value, NodeId a);
    NodeId offset(NodeId a, const T& value);
    NodeId exp(NodeId a) { return push(Op::exp, a, a); }
    NodeId sqrt(NodeId a) { return push(Op::sqrt, a, a); }
    NodeId dot(const std::vector<std::pair<NodeId, NodeId>>& pairs);
    NodeId linear(const std::vector<NodeId>& nodes, const std::vector<T>& weights);
    /// The right-hand side: outputs[i] is f_i, the derivative of variable i.
    void set_outputs(std::vector<NodeId> outputs) { outputs_ = std::move(outputs); }

    /// Requires coefficient 0 of `node` to be finite and above `bound` at every expansion point (a speed
    /// factor, a radius); `what` names it in the message of violated_requirement().
    void require_above(NodeId node, const T& bound, std::string what);
    /// After expand(): "<what> = <value>" for the first requirement not met, or an empty string.
    std::string violated_requirement() const;

    std::size_t size() const { return nodes_.size(); }
    std::size_t variables() const { return outputs_.size(); }

    /// Coefficients 0..order of every variable (x[i][k]) from x0 at t0; x is resized to order + 1 terms.
    /// Costs `order` passes over the tape.
    void expand(std::span<const T> x0, const T& t0, std::size_t order, std::vector<std::vector<T>>& x);
    /// Coefficients of a node after expand() (for checks and for guards such as a vanishing speed factor).
    const std::vector<T>& coefficients(NodeId node) const { return coefficients_[node]; }

private:
    struct Node {
        Op op;
        NodeId a = 0, b = 0;
        T value = T(0);
        std::vector<NodeId> list;
        std::vector<T> weights;  ///< linear: the weights; exp: i a_i, kept between passes
    };
    NodeId push(Op op, NodeId a, NodeId b);
    void compute(NodeId id, std::size_t k, const T& t0);
    /// acc = Σ_{i=lo..hi} a_i b_{k−i}, with no temporaries.
    void accumulate_products(T& acc, const std::vector<T>& a, const std::vector<T>& b, std::size_t lo,
                             std::size_t hi, std::size_t k);

    std::vector<Node> nodes_;
    std::vector<NodeId> outputs_;
    struct Requirement {
        NodeId node;
        T bound;
        std::string what;
    };
    std::vector<Requirement> requirements_;
    std::vector<std::vector<T>> coefficients_;
    T product_, sum_;  // scratch: allocated once (MPFR)
};

}  // namespace normdyn::solve::taylor
