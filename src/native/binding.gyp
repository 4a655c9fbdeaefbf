{
  "targets": [
    {
      "target_name": "poly1305",
      "sources": ["poly1305.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    }
  ]
}
