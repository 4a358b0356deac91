package found

import (
	"github.com/postino/postino/probe"
)

// postino adds postino's own saved accounts, which it can log in to with
// the password it holds.
func (f *finder) postino() {
	st := f.env.Store
	if st == nil {
		return
	}
	f.out.Looked = append(f.out.Looked, st.Path())
	accounts, err := st.Accounts()
	if err != nil {
		f.problem(st.Path(), err)
		return
	}
	for i := range accounts {
		a := accounts[i]
		acc := Account{Program: Postino, Path: st.Path(), Name: a.Name, Address: a.Address, Saved: &accounts[i]}
		for _, s := range a.Incoming {
			acc.Servers = append(acc.Servers, Server{Role: probe.Incoming, Server: s})
		}
		for _, s := range a.Outgoing {
			acc.Servers = append(acc.Servers, Server{Role: probe.Outgoing, Server: s})
		}
		f.add([]Account{acc})
	}
}
