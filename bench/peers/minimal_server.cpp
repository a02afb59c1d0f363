// minimal_server: the physical limit of comandad's HTTP stack, for
// bench/peers/side_by_side.py. A Boost.Beast HTTP/1.1 keep-alive server
// built as comandad's network side is (one io_context run by as many
// threads, a strand per connection, Nagle off, each request parsed whole)
// that answers every request with one fixed response: the bytes comandad
// answered to a GET /v1/orders/{id}, as `curl -i` saved them. No routing, no
// token, no read model, no JSON: comandad's CPU per request over this one's
// is what everything above the stack costs.
//
//   minimal_server RESPONSE_FILE [PORT (default 0: any free)] [THREADS (default 2)]
//
// Prints "minimal_server listening on http://127.0.0.1:PORT" once it
// accepts; SIGINT or SIGTERM stops it.
#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

// The one answer, built once: as it is for a client that keeps the
// connection and for one that closes it. Read-only once serving starts, so
// every network thread shares it.
struct Answers {
  http::response<http::string_body> keep_alive;
  http::response<http::string_body> close;
};

// `curl -i`'s output (status line, header fields, blank line, body) parsed
// by Beast. Throws when the file is not one whole HTTP response.
Answers read_answers(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  const std::string bytes = text.str();

  http::response_parser<http::string_body> parser;
  parser.eager(true);
  parser.body_limit(bytes.size());
  beast::error_code ec;
  parser.put(net::buffer(bytes), ec);
  if (ec || !parser.is_done())
    throw std::runtime_error(path + " is not one whole HTTP response" +
                             (ec ? ": " + ec.message() : std::string()));
  Answers answers{parser.release(), {}};
  answers.keep_alive.prepare_payload();
  answers.keep_alive.keep_alive(true);
  answers.close = answers.keep_alive;
  answers.close.keep_alive(false);
  return answers;
}

// One connection: read a request, write the answer, again until the client
// closes or asks to. Owned by its pending operation (shared_from_this); all
// of its operations run on its strand.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, const Answers& answers)
      : stream_(std::move(socket)), answers_(answers) {}

  void run() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::do_read, shared_from_this()));
  }

 private:
  void do_read() {
    request_ = {};
    http::async_read(stream_, buffer_, request_,
                     beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, size_t) {
    if (ec == http::error::end_of_stream) return shutdown();
    if (ec) return;  // reset, or stopped: nothing to answer
    const bool keep_alive = request_.keep_alive();
    http::async_write(stream_, keep_alive ? answers_.keep_alive : answers_.close,
                      [self = shared_from_this(), keep_alive](beast::error_code ec, size_t) {
                        if (ec) return;
                        if (!keep_alive) return self->shutdown();
                        self->do_read();
                      });
  }

  void shutdown() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  const Answers& answers_;
};

// Accepts connections, each onto a strand of its own, as comandad's
// Server does.
class Listener {
 public:
  Listener(net::io_context& ioc, unsigned short port, const Answers& answers)
      : ioc_(ioc), acceptor_(ioc), answers_(answers) {
    const tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), port);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(net::socket_base::max_listen_connections);
  }

  unsigned short port() const { return acceptor_.local_endpoint().port(); }

  void do_accept() {
    acceptor_.async_accept(net::make_strand(ioc_), [this](beast::error_code ec, tcp::socket s) {
      if (!acceptor_.is_open()) return;
      if (!ec) {
        beast::error_code ignored;
        s.set_option(tcp::no_delay(true), ignored);
        std::make_shared<Session>(std::move(s), answers_)->run();
      }
      do_accept();
    });
  }

  void close() {
    beast::error_code ignored;
    acceptor_.close(ignored);
  }

 private:
  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  const Answers& answers_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 4) {
    std::cerr << "usage: minimal_server RESPONSE_FILE [PORT] [THREADS]\n";
    return 2;
  }
  try {
    const Answers answers = read_answers(argv[1]);
    const auto port = static_cast<unsigned short>(argc > 2 ? std::stoi(argv[2]) : 0);
    const int threads = std::max(1, argc > 3 ? std::stoi(argv[3]) : 2);

    net::io_context ioc(threads);
    Listener listener(ioc, port, answers);
    net::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](beast::error_code, int) {
      listener.close();
      ioc.stop();
    });
    listener.do_accept();
    std::cout << "minimal_server listening on http://127.0.0.1:" << listener.port() << std::endl;

    std::vector<std::thread> pool;
    for (int i = 1; i < threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& t : pool) t.join();
  } catch (const std::exception& e) {
    std::cerr << "minimal_server: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
