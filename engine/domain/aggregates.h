// The aggregate kinds, in one list. Adding a kind is one line here (and its
// header above); every variant of commands and events, the pipeline's books
// and every dispatch on them follow from this list.
#pragma once

#include <tuple>
#include <type_traits>
#include <variant>

#include "engine/domain/account.h"
#include "engine/domain/aggregate.h"
#include "engine/domain/driver.h"
#include "engine/domain/menu.h"
#include "engine/domain/order.h"
#include "engine/domain/restaurant.h"

namespace comanda::engine {

namespace detail {

template <class... Lists>
struct Concat;
template <class... A>
struct Concat<TypeList<A...>> {
  using type = TypeList<A...>;
};
template <class... A, class... B, class... Rest>
struct Concat<TypeList<A...>, TypeList<B...>, Rest...> : Concat<TypeList<A..., B...>, Rest...> {};

template <class List>
struct AsVariant;
template <class... A>
struct AsVariant<TypeList<A...>> {
  using type = std::variant<A...>;
};

template <class T, class List>
struct Contains;
template <class T, class... A>
struct Contains<T, TypeList<A...>> : std::bool_constant<(std::is_same_v<T, A> || ...)> {};

// The first of `Kinds` whose member list `Member<K>` holds T.
template <class T, template <class> class Member, class... Kinds>
struct FirstHolding;
template <class T, template <class> class Member, class K, class... Rest>
struct FirstHolding<T, Member, K, Rest...>
    : std::conditional<Contains<T, Member<K>>::value, std::type_identity<K>,
                       FirstHolding<T, Member, Rest...>>::type {};

template <class K>
using EventsOf = typename K::Events;

}  // namespace detail

template <class... Kinds>
struct AggregateList {
  using Books = std::tuple<typename Kinds::Book...>;
  using Events = typename detail::Concat<typename Kinds::Events...>::type;
  using Commands = typename detail::Concat<typename Kinds::Commands...>::type;
  // The kind an event belongs to.
  template <class E>
  using KindOfEvent = typename detail::FirstHolding<E, detail::EventsOf, Kinds...>::type;
  // A tuple of T<K> for each kind.
  template <template <class> class T>
  using Each = std::tuple<T<Kinds>...>;
  // Calls fn.template operator()<K>() for each kind, in list order.
  template <class Fn>
  static void for_each_kind(Fn&& fn) {
    (fn.template operator()<Kinds>(), ...);
  }
};

// Every aggregate kind of the domain.
using AggregateKinds = AggregateList<Restaurant, Menu, Order, Driver, Account>;

using Books = AggregateKinds::Books;
using EventPayload = detail::AsVariant<AggregateKinds::Events>::type;
using CommandBody = detail::AsVariant<AggregateKinds::Commands>::type;

}  // namespace comanda::engine
