// Our plain Response (api/http/http_types.h) as a Beast response, and the
// names the Beast-based files share. Included only by the files that speak
// Beast (api/http/, api/ws/websocket_session.*): Beast stays out of the rest.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <memory>

#include "api/http/http_types.h"

namespace comanda::api {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// A connection's executor is its strand on the server's io_context, named by
// its concrete type rather than as net::any_io_executor: no type-erased
// call for each of the handlers of every request.
using Strand = net::strand<net::io_context::executor_type>;
using Socket = tcp::socket::rebind_executor<Strand>::other;
using Stream = beast::basic_stream<tcp, Strand>;

// The response, with `Server: comandad` and its length.
std::shared_ptr<http::response<http::string_body>> to_beast(Response response, unsigned version,
                                                            bool keep_alive);

}  // namespace comanda::api
