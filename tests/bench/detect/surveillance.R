# The public-health peer of the detection benchmark: R's surveillance
# package run on every monitored series (one leaf team, one indicator) of
# the companies of one seed, as an epidemiologist would run it on case
# counts. Reads the series that bench.py wrote (CSV: sid, t, obs, pop; t is
# the month, 1-based; pop the exposure used as population offset) and
# writes, for every series and every scored month where it matters, what
# each method says:
#
#   sid, method, t, alarm, score
#
# - method "farrington": farringtonFlexible() with the improvements of
#   Noufaily et al. (2013) as the package documents them (seasonal factor
#   with noPeriods levels, reweighting threshold 2.58, recent months left
#   out of the baseline, negative binomial plug-in threshold), adapted to
#   monthly data with two years of history: b = 2 years back, w = 1 month
#   either side (the window of ECDC's EpiSignalDetection tool for monthly
#   data), a population offset, alpha = 0.01. The method's own low-count
#   rule (limit54: no alarm with fewer than 5 cases in the last 4 months)
#   decides which months are assessed: the others cannot alarm, so the GLM
#   is fitted only where it could (the `range` argument, contiguous runs).
#   score is the p-value of the observed count under the fitted negative
#   binomial (alarm <=> score <= alpha), NA where the month is not assessed,
#   so that bench.py can move the operating point without running R again.
# - method "glrnb:C" for each c.ARL = C in CARL: glrnb(), the negative
#   binomial GLR detector of Höhle and Paul (2008) for a shift upwards
#   ("inc", change "intercept", M = -1, Mtilde = 1), monitored from month
#   FROM on. Its in-control mean mu0 is the documented glm of the package
#   (intercept and one harmonic, fitted on the months before FROM) with the
#   exposure added as an offset (the package's own hook has no offset; mu0
#   may be given as a vector), and the dispersion alpha is estimated by
#   moments on the same months; see glrnb_one for sparse series. score is
#   the GLR statistic. The package's default c.ARL is 5.
#
# usage: Rscript surveillance.R SERIES.csv OUT.csv FROM
# One process per seed; every series is independent.
suppressPackageStartupMessages(library(surveillance))

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 3) {
  stop("usage: Rscript surveillance.R SERIES.csv OUT.csv FROM")
}
input <- args[1]
output <- args[2]
from <- as.integer(args[3])

FARRINGTON <- list(b = 2, w = 1, noPeriods = 4, pastWeeksNotIncluded = 6,
                   weightsThreshold = 2.58, reweight = TRUE, trend = FALSE,
                   pThresholdTrend = 1, thresholdMethod = "nbPlugin",
                   alpha = 0.01, populationOffset = TRUE, limit54 = c(5, 4),
                   glmWarnings = FALSE)
CARL <- c(2, 3, 5, 8, 12, 16, 20, 25, 30, 40, 60, 80, 100, 150)

d <- read.csv(input, colClasses = c("integer", "integer", "numeric", "numeric"))
d <- d[order(d$sid, d$t), ]
series <- split(d, d$sid)
n <- max(d$t)
first_farrington <- max(from, FARRINGTON$b * 12 + FARRINGTON$w + 1)
scored <- from:n

runs <- function(idx) {
  # Contiguous runs of a sorted integer vector.
  if (!length(idx)) return(list())
  cut <- c(0, which(diff(idx) != 1), length(idx))
  lapply(seq_len(length(cut) - 1), function(i) idx[(cut[i] + 1):cut[i + 1]])
}

farrington_one <- function(obs, pop) {
  pval <- rep(NA_real_, n)
  alarm <- rep(FALSE, n)
  k <- first_farrington:n
  lim <- FARRINGTON$limit54
  enough <- vapply(k, function(j) sum(obs[max(1, j - lim[2] + 1):j]) >= lim[1],
                   logical(1))
  todo <- k[enough]
  if (!length(todo)) return(list(alarm = alarm, score = pval))
  s <- sts(observed = matrix(obs), population = matrix(pop),
           frequency = 12, start = c(2000, 1))
  for (r in runs(todo)) {
    res <- tryCatch(farringtonFlexible(s, control = c(FARRINGTON, list(range = r))),
                    error = function(e) NULL)
    if (is.null(res)) next
    a <- as.vector(alarms(res))
    a[is.na(a)] <- FALSE
    alarm[r] <- a
    pval[r] <- as.vector(res@control$pvalue)
  }
  list(alarm = alarm, score = pval)
}

glrnb_one <- function(obs, pop) {
  train <- seq_len(from - 1)
  tt <- seq_len(n)
  df <- data.frame(y = obs, t = tt, lp = log(pmax(pop, 1e-9)))
  if (sum(obs[train]) == 0) {
    # No event in the training months: the maximum likelihood in-control
    # mean is 0, under which any single event is an infinite likelihood
    # ratio. Use half an event over the training exposure instead (the
    # Jeffreys estimate of a Poisson rate), Poisson.
    mu_train <- NULL
    mu0 <- 0.5 * pop[scored] / sum(pop[train])
    alpha <- 0
  } else {
    # The package's model (estimateGLRNbHook: intercept and S = 1
    # harmonic) with the exposure as an offset; the harmonic only when the
    # series has about one event a month or more, since a seasonal curve
    # fitted on a handful of events puts the in-control mean near 0 in
    # some months.
    f <- if (sum(obs[train]) >= length(train)) {
      y ~ 1 + offset(lp) + cos(2 * pi / 12 * t) + sin(2 * pi / 12 * t)
    } else {
      y ~ 1 + offset(lp)
    }
    fit <- suppressWarnings(glm(f, family = poisson(), data = df[train, ]))
    mu_train <- fitted(fit)
    mu0 <- as.vector(predict(fit, newdata = df[scored, ], type = "response"))
    # NB2 dispersion by moments: Var = mu + alpha mu^2 (Cameron & Trivedi).
    alpha <- max(0, sum((obs[train] - mu_train)^2 - obs[train]) / sum(mu_train^2))
    if (!is.finite(alpha)) alpha <- 0
  }
  mu0 <- pmax(mu0, 1e-8)
  s <- sts(observed = matrix(obs), frequency = 12, start = c(2000, 1))
  run <- function(carl) {
    tryCatch(suppressMessages(glrnb(s, control = list(
      range = scored, c.ARL = carl, mu0 = mu0, alpha = alpha, Mtilde = 1, M = -1,
      change = "intercept", dir = "inc", ret = "value"))), error = function(e) NULL)
  }
  # The statistic without any alarm (an unreachable threshold): a detector
  # whose threshold it never reaches raises no alarm, since the path only
  # differs from this one after an alarm. Saves most of the runs.
  free <- run(1e300)
  top <- if (is.null(free)) Inf else max(upperbound(free), na.rm = TRUE)
  out <- list()
  for (carl in CARL) {
    res <- if (top >= carl) run(carl) else NULL
    a <- rep(FALSE, n)
    v <- rep(NA_real_, n)
    if (!is.null(res)) {
      a[scored] <- as.vector(alarms(res)) == 1
      v[scored] <- as.vector(upperbound(res))
    }
    out[[paste0("glrnb:", carl)]] <- list(alarm = a, score = v)
  }
  out
}

con <- file(output, open = "w")
writeLines("sid,method,t,alarm,score", con)
# Only what can matter is written: the months that alarm, and for
# Farrington those whose p-value is at most PMAX (the loosest alpha that
# bench.py tries); the rest is "no alarm".
PMAX <- 0.5
emit <- function(sid, method, r) {
  keep <- scored[r$alarm[scored] | (!is.na(r$score[scored]) & r$score[scored] <= PMAX &
                                    method == "farrington")]
  if (!length(keep)) return(invisible())
  sc <- ifelse(is.na(r$score[keep]), "NA", format(r$score[keep], digits = 6))
  writeLines(paste(sid, method, keep, as.integer(r$alarm[keep]), sc, sep = ","), con)
}
for (sd in series) {
  sid <- sd$sid[1]
  obs <- round(sd$obs)
  pop <- sd$pop
  emit(sid, "farrington", farrington_one(obs, pop))
  g <- glrnb_one(obs, pop)
  for (m in names(g)) emit(sid, m, g[[m]])
}
close(con)
