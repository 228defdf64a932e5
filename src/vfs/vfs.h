/* The guest's view of the file system. For now the guest root is the host
 * root; /proc tells the guest's story where lbw's own would show. */
#ifndef LBW_VFS_H
#define LBW_VFS_H

/* True when path names the calling process's own exe link in /proc. */
int vfs_is_self_exe(const char *path);

#endif
