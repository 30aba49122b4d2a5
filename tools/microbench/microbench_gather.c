/* Microbenchmark of the operation that bounds cross_entropy(P, y) on
 * probabilities with hard labels: reading one entry per row of a (10^6, 10)
 * float64 array (the labelled entry), against a streaming read of all of it.
 *
 *   gcc $(python build_config.py) \
 *       -march=x86-64-v3 tools/microbench/microbench_gather.c -o /tmp/mbg
 *   /tmp/mbg
 *
 * Measured on the 2-core AMD EPYC (family 25 model 17): sum of all 80 MB
 * 2.3-4.0 ms, one gathered entry per row 3.4-5.8 ms (load-dependent; the
 * gather always ~1.2-1.5x the stream), NumPy's
 * -log(P[arange(n), y]).mean() 10-12 ms; the label-only kernel (gather +
 * vector log + sums) 4.3-4.7 ms.
 */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <time.h>
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+1e-9*t.tv_nsec;}
#define N 1000000
__attribute__((noinline)) double sumall(const double *X, long K){ double a[8]={0}; for(long i=0;i<(long)N*K;i+=8) for(int j=0;j<8;j++) a[j]+=X[i+j]; return a[0]+a[1]+a[2]+a[3]+a[4]+a[5]+a[6]+a[7];}
__attribute__((noinline)) double gonly(const double *X, const int64_t *y, long K){ double a=0; for(long i=0;i<N;i++) a+=X[i*K+y[i]]; return a;}
__attribute__((noinline)) double gbuf(const double *X, const int64_t *y, long K){ double a=0, pc[32]; for(long i0=0;i0<N;i0+=32){ for(int j=0;j<32;j++) pc[j]=X[(i0+j)*K+y[i0+j]]; for(int j=0;j<32;j++) a+=pc[j];} return a;}
__attribute__((noinline)) double gsel(const double *X, const int64_t *y, long K){ double a=0; for(long i=0;i<N;i++){ const double *r=X+i*K; long l=y[i]; double s=0;
#pragma omp simd reduction(+:s)
 for(long k=0;k<K;k++) s+= (k==l)?r[k]:0.0; a+=s;} return a;}
int main(){
  long K=10;
  double *X=malloc(sizeof(double)*N*K); int64_t *y=malloc(8*N);
  for(long i=0;i<(long)N*K;i++) X[i]=0.1+(i%7)*0.01;
  srand(1); for(long i=0;i<N;i++) y[i]=rand()%K;
  double s=0;
  for(int rep=0;rep<3;rep++)
  for(int v=0; v<4; v++){
    double best=1e9;
    for(int r=0;r<15;r++){ double t=now();
      if(v==0) s+=sumall(X,K); else if(v==1) s+=gonly(X,y,K); else if (v==2) s+=gbuf(X,y,K); else s+=gsel(X,y,K);
      t=now()-t; if(t<best)best=t;}
    printf("%s %.3f ms\n", v==0?"sum all":v==1?"gather only":v==2?"gather buf":"select", best*1e3);
  }
  return s==0;
}
