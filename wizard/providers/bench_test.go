package providers

import (
	"fmt"
	"runtime"
	"runtime/metrics"
	"strings"
	"testing"
	"time"
)

// largeFile is an organisation's providers file of n entries, each like
// a real one: two domains, an MX pattern, two incoming servers and one
// outgoing, a user name pattern, a hint and a docs link.
func largeFile(n int) []byte {
	var b strings.Builder
	b.WriteString("providers:\n")
	for i := range n {
		fmt.Fprintf(&b, `  - id: org-%[1]d
    name: Organisation %[1]d
    domains: [org%[1]d.example, mail.org%[1]d.example]
    mx: ["*.mx.org%[1]d.example"]
    incoming:
      - imaps://imap.org%[1]d.example:993
      - {url: "pop3s://pop.org%[1]d.example:995", username: "%%EMAILLOCALPART%%"}
    outgoing:
      - smtp://smtp.org%[1]d.example:587
    username: "%%EMAILADDRESS%%"
    hints:
      - en: "Use the password of the organisation's portal."
        it: "Usa la password del portale dell'organizzazione."
    docs: https://help.org%[1]d.example/mail
`, i)
	}
	return []byte(b.String())
}

// BenchmarkLoad10000 loads a providers file of 10,000 entries and reports
// what it costs per entry: "peak-B/entry" the most the heap held while
// loading, "retained-B/entry" what the loaded database keeps (after a
// garbage collection), "alloc-B/entry" everything allocated, and
// "µs/entry" the time. "x-goal" is the peak against the goal of 2 KiB an
// entry. The peak is the retained database plus the garbage the collector
// lets grow, by default, up to as much again.
func BenchmarkLoad10000(b *testing.B) {
	const n = 10000
	data := largeFile(n)
	var retained, peak, alloc uint64
	var elapsed time.Duration
	runs := 0
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		base := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		metrics.Read(base)
		stop := watchPeak(base[0].Value.Uint64())
		start := time.Now()
		db, err := Load("org.yaml", data)
		if err != nil {
			b.Fatal(err)
		}
		if _, ok := db.ByDomain("org9999.example"); !ok {
			b.Fatal("the last entry is not found")
		}
		elapsed += time.Since(start)
		top := stop()
		runtime.GC()
		runtime.ReadMemStats(&after)
		retained += after.HeapAlloc - min(after.HeapAlloc, before.HeapAlloc)
		peak += top
		alloc += after.TotalAlloc - before.TotalAlloc
		runtime.KeepAlive(db)
		runs++
	}
	per := func(v uint64) float64 { return float64(v) / float64(runs) / n }
	b.ReportMetric(per(retained), "retained-B/entry")
	b.ReportMetric(per(peak), "peak-B/entry")
	b.ReportMetric(per(alloc), "alloc-B/entry")
	b.ReportMetric(float64(elapsed.Microseconds())/float64(runs)/n, "µs/entry")
	b.ReportMetric(per(peak)/2048, "x-goal")
}

// watchPeak samples the heap's objects every millisecond while a load
// runs (runtime/metrics, which does not stop the world) and returns, when
// stopped, the most it held above base.
func watchPeak(base uint64) (stop func() uint64) {
	done := make(chan struct{})
	result := make(chan uint64)
	go func() {
		var top uint64
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			v := sample[0].Value.Uint64()
			top = max(top, v-min(v, base))
			select {
			case <-done:
				result <- top
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		return <-result
	}
}
