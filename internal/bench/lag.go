package bench

import (
	"errors"
	"net"
	"net/url"
	"sync"
	"time"
)

// lag forwards TCP connections to a target address, delivering every
// chunk of bytes delay after it arrived, in both directions: a network
// between the workers and PostgreSQL, whose round trip is 2×delay.
// Chunks are timed on arrival, so back-to-back messages are delayed,
// not serialised.
type lag struct {
	l      net.Listener
	target string
	delay  time.Duration
	wg     sync.WaitGroup
	mu     sync.Mutex
	conns  []net.Conn
	// held and chunks measure the delay actually applied: the timer
	// under a sleep is coarse (about 1 ms on Linux), so a requested
	// 0.25 ms is really more.
	held   time.Duration
	chunks int64
}

// Effective is the mean time a chunk was held, from arrival to write.
func (p *lag) Effective() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.chunks == 0 {
		return 0
	}
	return p.held / time.Duration(p.chunks)
}

// startLag listens on a loopback port and forwards to target.
func startLag(target string, delay time.Duration) (*lag, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &lag{l: l, target: target, delay: delay}
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// Addr is the host:port to connect to instead of the target.
func (p *lag) Addr() string { return p.l.Addr().String() }

// Close stops listening and closes every forwarded connection.
func (p *lag) Close() {
	p.l.Close()
	p.mu.Lock()
	for _, c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}

func (p *lag) track(c net.Conn) {
	p.mu.Lock()
	p.conns = append(p.conns, c)
	p.mu.Unlock()
}

func (p *lag) accept() {
	defer p.wg.Done()
	for {
		c, err := p.l.Accept()
		if err != nil {
			return // closed
		}
		up, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.track(c)
		p.track(up)
		p.wg.Add(2)
		go p.pipe(up, c)
		go p.pipe(c, up)
	}
}

type chunk struct {
	b   []byte
	due time.Time
}

// pipe copies src to dst, each chunk delay after it was read; when
// either side ends, both connections close.
func (p *lag) pipe(dst, src net.Conn) {
	defer p.wg.Done()
	ch := make(chan chunk, 1024)
	go func() {
		defer close(ch)
		for {
			buf := make([]byte, 32<<10)
			n, err := src.Read(buf)
			if n > 0 {
				ch <- chunk{buf[:n], time.Now().Add(p.delay)}
			}
			if err != nil {
				return
			}
		}
	}()
	for c := range ch {
		time.Sleep(time.Until(c.due))
		p.mu.Lock()
		p.held += time.Since(c.due.Add(-p.delay))
		p.chunks++
		p.mu.Unlock()
		if _, err := dst.Write(c.b); err != nil {
			break
		}
	}
	dst.Close()
	src.Close()
	for range ch { // let the reader finish
	}
}

// errLagDSN is returned for a DSN the lag cannot sit in front of.
var errLagDSN = errors.New("--latency needs a postgres://host:port/… DSN (TCP, no host= parameter)")

// lagDSN starts a lag in front of the server of dsn and returns the DSN
// that goes through it.
func lagDSN(dsn string, delay time.Duration) (string, *lag, error) {
	u, err := url.Parse(dsn)
	if err != nil || u.Host == "" || u.Query().Get("host") != "" {
		return "", nil, errLagDSN
	}
	target := u.Host
	if u.Port() == "" {
		target = net.JoinHostPort(u.Hostname(), "5432")
	}
	p, err := startLag(target, delay)
	if err != nil {
		return "", nil, err
	}
	u.Host = p.Addr()
	return u.String(), p, nil
}
