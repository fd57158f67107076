#include "normdyn/solve/taylor_tape.hpp"

#include "normdyn/scalar.hpp"
#include "normdyn/certify/interval.hpp"

#include <algorithm>
#include <stdexcept>

namespace normdyn::solve::taylor {

namespace {

// a · b added to acc through the scratch `product`: no temporary number is made (MPFR allocates for each).
template <class T> void add_product(T& acc, const T& a, const T& b, T& product) {
    if constexpr (is_multiprecision_v<T>) {
        boost::multiprecision::multiply(product, a, b);
        acc += product;
    } else {
        (void)product;
        acc += a * b;
    }
}

}  // namespace

template <class T> NodeId Tape<T>::push(Op op, NodeId a, NodeId b) {
    if (a >= nodes_.size() || b >= nodes_.size()) throw std::logic_error("taylor tape: operand recorded later");
    Node node;
    node.op = op;
    node.a = a;
    node.b = b;
    nodes_.push_back(std::move(node));
    return NodeId(nodes_.size() - 1);
}

template <class T> NodeId Tape<T>::variable(std::size_t index) {
    Node node;
    node.op = Op::variable;
    node.a = NodeId(index);
    nodes_.push_back(std::move(node));
    return NodeId(nodes_.size() - 1);
}

template <class T> NodeId Tape<T>::time() {
    Node node;
    node.op = Op::time;
    nodes_.push_back(std::move(node));
    return NodeId(nodes_.size() - 1);
}

template <class T> NodeId Tape<T>::constant(const T& value) {
    Node node;
    node.op = Op::constant;
    node.value = value;
    nodes_.push_back(std::move(node));
    return NodeId(nodes_.size() - 1);
}

template <class T> NodeId Tape<T>::step_max(std::vector<NodeId> list) {
    if (list.empty()) throw std::logic_error("taylor tape: max of no nodes");
    Node node;
    node.op = Op::step_constant;
    node.list = std::move(list);
    nodes_.push_back(std::move(node));
    return NodeId(nodes_.size() - 1);
}

template <class T> NodeId Tape<T>::scale(const T& value, NodeId a) {
    const NodeId id = push(Op::scale, a, a);
    nodes_[id].value = value;
    return id;
}

template <class T> NodeId Tape<T>::offset(NodeId a, const T& value) {
    const NodeId id = push(Op::offset, a, a);
    nodes_[id].value = value;
    return id;
}

template <class T> NodeId Tape<T>::dot(const std::vector<std::pair<NodeId, NodeId>>& pairs) {
    if (pairs.empty()) throw std::logic_error("taylor tape: empty dot product");
    const NodeId id = push(Op::dot, pairs.front().first, pairs.front().second);
    for (const auto& [a, b] : pairs) {
        if (a >= id || b >= id) throw std::logic_error("taylor tape: operand recorded later");
        nodes_[id].list.push_back(a);
        nodes_[id].list.push_back(b);
    }
    return id;
}

template <class T> NodeId Tape<T>::linear(const std::vector<NodeId>& list, const std::vector<T>& weights) {
    if (list.empty() || list.size() != weights.size()) throw std::logic_error("taylor tape: bad linear combination");
    const NodeId id = push(Op::linear, list.front(), list.front());
    nodes_[id].list = list;
    nodes_[id].weights = weights;
    return id;
}

template <class T> void Tape<T>::require_above(NodeId node, const T& bound, std::string what) {
    if (node >= nodes_.size()) throw std::logic_error("taylor tape: requirement on an unknown node");
    requirements_.push_back({node, bound, std::move(what)});
}

template <class T> std::string Tape<T>::violated_requirement() const {
    for (const auto& requirement : requirements_) {
        const T& value = coefficients_[requirement.node][0];
        if (!(value > requirement.bound) || !is_finite(value)) return requirement.what + " = " + to_decimal(value);
    }
    return {};
}

template <class T>
void Tape<T>::accumulate_products(T& acc, const std::vector<T>& a, const std::vector<T>& b, std::size_t lo,
                                  std::size_t hi, std::size_t k) {
    for (std::size_t i = lo; i <= hi; ++i) add_product(acc, a[i], b[k - i], product_);
}

template <class T> void Tape<T>::compute(NodeId id, std::size_t k, const T& t0) {
    using std::exp;
    using std::sqrt;
    const Node& node = nodes_[id];
    std::vector<T>& c = coefficients_[id];
    const auto& a = coefficients_[node.a];
    const auto& b = coefficients_[node.b];
    switch (node.op) {
        case Op::variable: break;  // set by expand()
        case Op::time: c[k] = k == 0 ? t0 : T(k == 1 ? 1 : 0); break;
        case Op::constant: c[k] = k == 0 ? node.value : T(0); break;
        case Op::step_constant:
            if (k == 0) {
                c[0] = coefficients_[node.list.front()][0];
                for (NodeId other : node.list) c[0] = std::max<T>(c[0], coefficients_[other][0]);
            } else {
                c[k] = 0;
            }
            break;
        case Op::add: c[k] = a[k] + b[k]; break;
        case Op::sub: c[k] = a[k] - b[k]; break;
        case Op::scale: c[k] = node.value * a[k]; break;
        case Op::offset: c[k] = k == 0 ? a[0] + node.value : a[k]; break;
        case Op::mul:
            c[k] = 0;
            accumulate_products(c[k], a, b, 0, k, k);
            break;
        case Op::div:  // c_k = (a_k − Σ_{i=1..k} b_i c_{k−i}) / b_0
            sum_ = 0;
            if (k > 0) accumulate_products(sum_, b, c, 1, k, k);
            c[k] = (a[k] - sum_) / b[0];
            break;
        case Op::exp: {  // c_k = (1/k) Σ_{i=1..k} i a_i c_{k−i}; the node keeps i a_i in `weights`
            auto& derivative = nodes_[id].weights;
            if (derivative.size() <= k) derivative.resize(c.size());
            if (k == 0) {
                c[0] = exp(a[0]);
            } else {
                derivative[k] = a[k];
                derivative[k] *= static_cast<unsigned long>(k);
                c[k] = 0;
                accumulate_products(c[k], derivative, c, 1, k, k);
                c[k] /= static_cast<unsigned long>(k);
            }
            break;
        }
        case Op::sqrt:  // c_k = (a_k − Σ_{i=1..k−1} c_i c_{k−i}) / (2 c_0), the sum folded in half
            if (k == 0) {
                c[0] = sqrt(a[0]);
            } else {
                sum_ = 0;
                if (k >= 2) accumulate_products(sum_, c, c, 1, (k - 1) / 2, k);
                sum_ *= 2u;
                if (k % 2 == 0) add_product(sum_, c[k / 2], c[k / 2], product_);
                c[k] = (a[k] - sum_) / (2 * c[0]);
            }
            break;
        case Op::dot:
            c[k] = 0;
            for (std::size_t i = 0; i < node.list.size(); i += 2) {
                const auto& x = coefficients_[node.list[i]];
                const auto& y = coefficients_[node.list[i + 1]];
                if (node.list[i] == node.list[i + 1]) {  // a square: fold the symmetric sum in half
                    sum_ = 0;
                    if (k >= 1) accumulate_products(sum_, x, x, 0, (k - 1) / 2, k);
                    sum_ *= 2u;
                    if (k % 2 == 0) add_product(sum_, x[k / 2], x[k / 2], product_);
                    c[k] += sum_;
                } else {
                    accumulate_products(c[k], x, y, 0, k, k);
                }
            }
            break;
        case Op::linear:
            c[k] = 0;
            for (std::size_t i = 0; i < node.list.size(); ++i)
                add_product(c[k], node.weights[i], coefficients_[node.list[i]][k], product_);
            break;
    }
}

template <class T>
void Tape<T>::expand(std::span<const T> x0, const T& t0, std::size_t order, std::vector<std::vector<T>>& x) {
    const std::size_t n = outputs_.size();
    if (x0.size() != n) throw std::invalid_argument("taylor tape: state has the wrong size");
    if (coefficients_.size() != nodes_.size()) coefficients_.resize(nodes_.size());
    for (auto& c : coefficients_)
        if (c.size() < order + 1) c.resize(order + 1);
    x.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (x[i].size() < order + 1) x[i].resize(order + 1);
        x[i][0] = x0[i];
    }
    for (std::size_t k = 0; k < order; ++k) {
        for (NodeId id = 0; id < nodes_.size(); ++id) {
            if (nodes_[id].op == Op::variable) coefficients_[id][k] = x[nodes_[id].a][k];
            else compute(id, k, t0);
        }
        for (std::size_t i = 0; i < n; ++i) {  // x' = f:  x_{k+1} = f_k / (k + 1)
            x[i][k + 1] = coefficients_[outputs_[i]][k];
            x[i][k + 1] /= static_cast<unsigned long>(k + 1);
        }
    }
}

#define NORMDYN_INSTANTIATE(T) template class Tape<T>;
NORMDYN_FOR_EACH_SCALAR(NORMDYN_INSTANTIATE)
NORMDYN_INSTANTIATE(::normdyn::certify::interval)  // the validated integrator (certify/)
#undef NORMDYN_INSTANTIATE

}  // namespace normdyn::solve::taylor
