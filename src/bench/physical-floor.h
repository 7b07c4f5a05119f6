/* The physical floor's rtnetlink requests (physical-floor-rtnl.c): one request, then its ACK. */
#ifndef PHYSICAL_FLOOR_H
#define PHYSICAL_FLOOR_H
#include <errno.h>
#include <limits.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

struct rtnl {
  int fd;
  unsigned seq;
  char buf[4096];
};

/* the script line being run, for die's message */
extern int script_line;
__attribute__((noreturn)) void die(const char *what, int err);
void rtnl_reopen(struct rtnl *r);
void rtnl_talk(struct rtnl *r, struct nlmsghdr *n, const char *what);

struct nlmsghdr *link_msg(struct rtnl *r, int type, int flags, int index, unsigned up);
void add_attr(struct nlmsghdr *n, int type, const void *data, int len);
void add_str(struct nlmsghdr *n, int type, const char *s);
void add_mac(struct nlmsghdr *n, int type, const char *text);
struct rtattr *nest(struct nlmsghdr *n, int type);
void end_nest(struct nlmsghdr *n, struct rtattr *a);

void bridge_add(struct rtnl *r, const char *name);
void link_set(struct rtnl *r, int index, int master, unsigned up);
void link_del(struct rtnl *r, int index);
void addr_add(struct rtnl *r, int index, const char *cidr, int brd);
void route_add(struct rtnl *r, const char *dst, int index, const char *gw, int onlink);
void proxy(struct rtnl *r, int type, const char *addr, int index);
void dump(struct rtnl *r, const char *what);
#endif
