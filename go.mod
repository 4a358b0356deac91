module github.com/postino/postino

go 1.26.8
